/**
 * Keeps one record per item presentation and folds each perception event into the right one:
 * a decided record that comes back to the scanner starts a new presentation (taken out of the bag
 * and re-scanned), and a landing under an unknown id right after another trip ended is that trip
 * (the tracker loses objects when the hand lets go).
 */
import type { FusionConfig } from './config.ts';
import { findById } from './posLedger.ts';
import type { PerceptionEvent } from '../perception/events.ts';
import { allTrackIds, dueMs, lastEvidenceMs, trackKind, type Obs, type TrackRecord } from './tracks.ts';

/** How far a landing's first frame may precede the end of the trip it ends (frame jitter). */
const LANDING_JITTER_MS = 500;

export class TrackStore {
  /** Current record per external track id. */
  private readonly current = new Map<number, TrackRecord>();
  /** Every record still retained, in creation order. */
  readonly records: TrackRecord[] = [];
  private nextKey = 1;
  /** Records that absorbed another since the last takeRelinked() (their checks may be due again). */
  private relinked: TrackRecord[] = [];

  constructor(private readonly cfg: FusionConfig) {}

  /** Folds one event in; returns the record it landed on (none for lane-level events). */
  apply(ev: PerceptionEvent): TrackRecord | undefined {
    const obs: Obs = { startMs: ev.startMs, endMs: ev.endMs, confidence: ev.confidence };
    switch (ev.type) {
      case 'itemPassedScanner': {
        const t = this.presentation(ev.trackId, ev.startMs, false);
        t.passes.push({ ...obs, holdingItem: ev.holdingItem, dwellMs: ev.dwellMs ?? 0 });
        return t;
      }
      case 'scanMotion': {
        const t = this.presentation(ev.trackId, ev.startMs, false);
        t.motions.push(obs);
        return t;
      }
      case 'itemMovedPickupToBagging': {
        const t = this.presentation(ev.trackId, ev.startMs, true);
        t.move = { ...obs, viaScanner: ev.viaScanner };
        return t;
      }
      case 'itemPlacedInBagging': {
        let known = this.current.get(ev.trackId);
        // Seen only by its appearance so far (the bag view's gallery result can arrive before
        // the landing): still free to be linked to the trip it ends.
        if (known && ev.fromZone !== 'outside' && isAppearanceOnly(known)) {
          const trip = this.unlandedTripNear(ev.startMs, known);
          if (trip) {
            this.merge(known, trip);
            known = trip;
          }
        }
        const t =
          known ??
          (ev.fromZone === 'outside' ? this.create(ev.trackId) : this.linkOrCreate(ev.trackId, ev.startMs));
        // The first landing counts; later "placements" are the shopper rearranging the bag.
        t.placement ??= {
          ...obs,
          count: ev.count ?? 1,
          countConfidence: ev.countConfidence ?? ev.confidence,
          fromZone: ev.fromZone ?? 'unknown',
        };
        return t;
      }
      case 'itemRemovedFromBagging': {
        const t = this.current.get(ev.trackId) ?? this.create(ev.trackId);
        t.removals.push({ ...obs, toZone: ev.toZone });
        return t;
      }
      case 'itemAppearance': {
        const t = this.current.get(ev.trackId) ?? this.create(ev.trackId);
        t.appearances.push(ev);
        return t;
      }
      case 'nonItemObject': {
        const t = this.current.get(ev.trackId) ?? this.create(ev.trackId);
        if ((t.nonItem?.confidence ?? -1) < ev.confidence) {
          t.nonItem = { kind: ev.kind, confidence: ev.confidence, endMs: ev.endMs };
        }
        return t;
      }
      case 'handsInScanner':
      case 'shopperLeft':
        return undefined;
    }
  }

  byKey(key: number): TrackRecord | undefined {
    return findById(this.records, key, (t) => t.key);
  }

  /** Records not yet decided that carry item evidence (candidates for scan matching). */
  pending(): TrackRecord[] {
    return this.records.filter((t) => !t.decided && trackKind(t) !== 'none');
  }

  /** Folds a record seen only in the bag into the record whose trip it ended (late id-switch link). */
  merge(from: TrackRecord, into: TrackRecord): void {
    if (from.placement) into.placement ??= from.placement;
    into.appearances.push(...from.appearances);
    into.removals.push(...from.removals);
    for (const id of allTrackIds(from)) {
      into.aliasIds.push(id);
      this.current.set(id, into);
    }
    from.decided = true;
    this.relinked.push(into);
  }

  takeRelinked(): TrackRecord[] {
    const out = this.relinked;
    this.relinked = [];
    return out;
  }

  /** A record whose trip ended in the bag just before `ms` but whose landing was never seen. */
  unlandedTripNear(ms: number, exclude?: TrackRecord): TrackRecord | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const t = this.records[i];
      if (!t || t === exclude || !t.move || t.placement || t.nonItem) continue;
      // The landing follows the end of the trip (frame jitter allowed), never precedes it.
      if (t.move.endMs >= ms - this.cfg.idSwitchLinkMs && t.move.endMs <= ms + LANDING_JITTER_MS) return t;
    }
    return undefined;
  }

  /** Records that wait for a decision: undecided, with some item evidence. */
  due(nowMs: number): TrackRecord[] {
    return this.records
      .filter((t) => !t.decided && trackKind(t) !== 'none' && dueMs(t, this.cfg) <= nowMs)
      .sort((a, b) => dueMs(a, this.cfg) - dueMs(b, this.cfg) || a.key - b.key);
  }

  /** Earliest pending decision time, if any (lets a driver tick exactly when needed). */
  nextDueMs(): number | undefined {
    let next: number | undefined;
    for (const t of this.records) {
      if (t.decided || trackKind(t) === 'none') continue;
      const due = dueMs(t, this.cfg);
      if (next === undefined || due < next) next = due;
    }
    return next;
  }

  prune(beforeMs: number): void {
    let drop = 0;
    for (const t of this.records) {
      const settled = t.decided || trackKind(t) === 'none';
      if (!settled || lastEvidenceMs(t) >= beforeMs) break;
      drop++;
    }
    for (const t of this.records.splice(0, drop)) {
      for (const id of allTrackIds(t)) if (this.current.get(id) === t) this.current.delete(id);
    }
  }

  /**
   * The record a scanner or move event belongs to. A decided record that already reached the bag
   * (or was last seen long ago) gets a fresh record: the item is being presented again.
   */
  private presentation(trackId: number, startMs: number, isMove: boolean): TrackRecord {
    const t = this.current.get(trackId);
    if (!t) return this.create(trackId);
    if (!t.decided) return t;
    // Seen before only as a bag resident (placed or removed, never presented): a new trip.
    if (trackKind(t) === 'none' || (t.placement && !t.move && t.passes.length === 0))
      return this.create(trackId);
    const reachedBag = t.move !== undefined || t.placement !== undefined || t.removals.length > 0;
    const stale = startMs > lastEvidenceMs(t) + this.cfg.scanMatchWindowMs + this.cfg.rescanLinkMs;
    if ((isMove && t.move !== undefined) || (!isMove && reachedBag) || stale) return this.create(trackId);
    return t;
  }

  /** An unknown id landing in the bag right after another track's move is that item. */
  private linkOrCreate(trackId: number, startMs: number): TrackRecord {
    const t = this.unlandedTripNear(startMs);
    if (!t) return this.create(trackId);
    t.aliasIds.push(trackId);
    this.current.set(trackId, t);
    return t;
  }

  private create(trackId: number): TrackRecord {
    const t: TrackRecord = {
      key: this.nextKey++,
      trackId,
      aliasIds: [],
      passes: [],
      motions: [],
      appearances: [],
      removals: [],
      decided: false,
      suspicionIds: [],
    };
    this.records.push(t);
    this.current.set(trackId, t);
    return t;
  }
}

function isAppearanceOnly(t: TrackRecord): boolean {
  return (
    !t.decided &&
    t.appearances.length > 0 &&
    trackKind(t) === 'none' &&
    !t.placement &&
    !t.nonItem &&
    t.removals.length === 0
  );
}
