/**
 * Per-object evidence from the vision worker, folded into one record per presentation of an item.
 * A "presentation" is one trip of an object from pick-up towards the bagging zone; the same
 * worker track id can present twice (taken back out of the bag and re-scanned), and one item can
 * get two track ids (the tracker loses it when the hand lets go), so the record is not simply
 * "the track".
 */
import type { FusionConfig } from './config.ts';
import { findById } from './posLedger.ts';
import type { ItemAppearance, NonItemKind, PerceptionEvent } from '../perception/events.ts';

export interface Obs {
  startMs: number;
  endMs: number;
  confidence: number;
}

export interface TrackRecord {
  /** Internal, unique per presentation. */
  key: number;
  /** External worker track id (of the first event). */
  trackId: number;
  /** Other worker track ids folded into this record (tracker id switches). */
  aliasIds: number[];
  passes: (Obs & { holdingItem: boolean; dwellMs: number })[];
  motions: Obs[];
  move?: Obs & { viaScanner: boolean };
  placement?: Obs & { count: number; countConfidence: number; fromZone: string };
  appearances: ItemAppearance[];
  nonItem?: { kind: NonItemKind; confidence: number; endMs: number };
  removals: (Obs & { toZone: 'pickup' | 'exit' | 'unknown' })[];
  decided: boolean;
  /** Scan this record is matched with (tentative until decided). */
  scanId?: number;
  /** Transaction the decision attributed it to. */
  txn?: string;
  suspicionIds: string[];
}

export type TrackKind = 'scanner' | 'bypass' | 'placementOnly' | 'none';

export function trackKind(t: TrackRecord): TrackKind {
  if (t.passes.some((p) => p.holdingItem) || t.motions.length > 0 || t.move?.viaScanner) return 'scanner';
  if (t.move) return 'bypass';
  if (t.placement && t.placement.fromZone !== 'outside') return 'placementOnly';
  return 'none';
}

/** The item evidence events of a track (not appearance, removal or non-item cues). */
export function itemObservations(t: TrackRecord): Obs[] {
  const obs: Obs[] = [...t.passes.filter((p) => p.holdingItem), ...t.motions];
  if (t.move) obs.push(t.move);
  if (t.placement && t.placement.fromZone !== 'outside') obs.push(t.placement);
  return obs;
}

/** Noisy-OR: several independent cues agreeing beat one strong-looking detection. */
export function trackConfidence(t: TrackRecord): number {
  let miss = 1;
  for (const o of itemObservations(t)) miss *= 1 - clamp01(o.confidence);
  return 1 - miss;
}

/** The frames a scan is expected around: the scanner part of the trip if there was one. */
export function anchor(t: TrackRecord): { startMs: number; endMs: number } {
  const kind = trackKind(t);
  let obs: Obs[] = [];
  if (kind === 'scanner') {
    obs = [...t.passes.filter((p) => p.holdingItem), ...t.motions];
    if (obs.length === 0 && t.move) obs = [t.move];
  } else if (kind === 'bypass' && t.move) obs = [t.move];
  else if (t.placement) obs = [t.placement];
  return span(obs);
}

/** Whole evidence span (everything seen of the item). */
export function evidenceSpan(t: TrackRecord): { startMs: number; endMs: number } {
  return span([...itemObservations(t), ...t.appearances]);
}

export function isWeighed(t: TrackRecord, cfg: FusionConfig): boolean {
  return t.passes.some((p) => p.holdingItem && p.dwellMs >= cfg.restDwellMs);
}

/** When the engine decides about this record. */
export function dueMs(t: TrackRecord, cfg: FusionConfig): number {
  const a = anchor(t);
  const window = isWeighed(t, cfg) ? cfg.weighedMatchWindowMs : cfg.scanMatchWindowMs;
  // An object that has not (yet) reached the bag may come straight back for a second try.
  const scannerOnly = trackKind(t) === 'scanner' && !t.move && !t.placement;
  return a.endMs + window + (scannerOnly ? cfg.rescanLinkMs : 0);
}

/** The product the gallery is confident this is, if any. */
export function gtinHint(t: TrackRecord, cfg: FusionConfig): string | undefined {
  let best: ItemAppearance | undefined;
  for (const a of t.appearances) {
    if (a.matchGtin === undefined || (a.matchScore ?? 0) < cfg.gallerySupportScore) continue;
    if (!best || (a.matchScore ?? 0) > (best.matchScore ?? 0)) best = a;
  }
  return best?.matchGtin;
}

export function isNonItem(t: TrackRecord, cfg: FusionConfig): boolean {
  return (t.nonItem?.confidence ?? 0) >= cfg.minNonItemConfidence;
}

export function allTrackIds(t: TrackRecord): number[] {
  return [t.trackId, ...t.aliasIds];
}

export class TrackStore {
  /** Current record per external track id. */
  private readonly current = new Map<number, TrackRecord>();
  /** Every record still retained, in creation order. */
  readonly records: TrackRecord[] = [];
  private nextKey = 1;

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
        const known = this.current.get(ev.trackId);
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
    for (let i = this.records.length - 1; i >= 0; i--) {
      const t = this.records[i];
      if (!t?.move || t.placement || t.nonItem) continue;
      if (t.move.endMs >= startMs - this.cfg.idSwitchLinkMs && t.move.endMs <= startMs + 500) {
        t.aliasIds.push(trackId);
        this.current.set(trackId, t);
        return t;
      }
    }
    return this.create(trackId);
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

function lastEvidenceMs(t: TrackRecord): number {
  let end = -Infinity;
  for (const o of [...t.passes, ...t.motions, ...t.appearances, ...t.removals]) end = Math.max(end, o.endMs);
  if (t.move) end = Math.max(end, t.move.endMs);
  if (t.placement) end = Math.max(end, t.placement.endMs);
  if (t.nonItem) end = Math.max(end, t.nonItem.endMs);
  return end;
}

function span(obs: readonly { startMs: number; endMs: number }[]): { startMs: number; endMs: number } {
  if (obs.length === 0) return { startMs: 0, endMs: 0 };
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const o of obs) {
    startMs = Math.min(startMs, o.startMs);
    endMs = Math.max(endMs, o.endMs);
  }
  return { startMs, endMs };
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
