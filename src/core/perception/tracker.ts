/**
 * Perception tracker: turns the per-frame observations of the inference worker
 * (frameObservation.ts) into the perception events the fusion engine consumes (events.ts).
 *
 * Pure and deterministic (time only enters through FrameObservation.tMs, the clock of every event
 * it emits). The rules, in short (docs/perception.md has them in full):
 * - hands are followed by nearest palm centre, bridging dropouts of a few frames; zone and
 *   holding changes are debounced (holding with hysteresis);
 * - a hand that starts holding gets an item track (fresh trackId) whose origin is read from
 *   the hand's path: pick-up, bagging (taken out), outside (the shopper's side) or unknown;
 * - a stay in the scanner zone gives one itemPassedScanner (on leaving, or after
 *   `passDwellEmitMs`), a held object lingering or turned there one scanMotion; an object set
 *   down on the plate (weighed) keeps its track until a hand takes it again;
 * - a held pick-up object released in bagging gives itemMovedPickupToBagging; occupancy steps of
 *   the still bag give itemPlacedInBagging / itemRemovedFromBagging (trackerBagging.ts);
 * - handsInScanner on every change of the number of hands in the scanner; shopperLeft after
 *   `shopperLeftMs` with no hand and no motion.
 */
import type { LaneZones, ZoneName } from '../lane/zones.ts';
import type { PerceptionEvent } from './events.ts';
import type { FrameObservation, HandObservation } from './frameObservation.ts';
import { frameObservationErrors, InvalidFrameObservationError } from './frameObservationCheck.ts';
import { BaggingSteps } from './baggingSteps.ts';
import { BaggingRules } from './trackerBagging.ts';
import { resolveTrackerConfig, type TrackerConfig } from './trackerConfig.ts';
import { makeEvent, moveEvent, passEvent } from './trackerEmit.ts';
import {
  associate,
  exitZone,
  newHandTrack,
  observeHand,
  zonesBefore,
  type HandTrack,
  type HandTransition,
} from './trackerHands.ts';
import {
  newItem,
  newStay,
  type BaggingFrom,
  type HandState,
  type ItemOrigin,
  type ItemTrack,
  type ParkedItem,
} from './trackerState.ts';
import { round3 } from './trackerEvidence.ts';

export { DEFAULT_TRACKER_CONFIG, type TrackerConfig } from './trackerConfig.ts';

export class PerceptionTracker {
  readonly config: TrackerConfig;
  private readonly hands = new Map<number, HandState>();
  private readonly parked: ParkedItem[] = [];
  /** Parked objects taken by a hand just outside the plate: their pass is due. */
  private readonly pendingParkedPass: ParkedItem[] = [];
  private readonly bagging: BaggingRules;
  /** Ids for hands and items; never reused, not even after reset (fusion keys records by it). */
  private nextId = 1;
  private lastTMs: number | undefined;
  private lastAnalysed: FrameObservation | undefined;
  private reportedScannerHands = 0;
  private scannerChange: { atMs: number; score: number } | undefined;
  private lastActivityMs: number | undefined;
  private quietPeakMotion = 0;

  constructor(
    private readonly zones: LaneZones,
    config?: Partial<TrackerConfig>,
  ) {
    this.config = resolveTrackerConfig(config);
    this.bagging = new BaggingRules(this.config, new BaggingSteps(this.config), () => this.nextId++);
  }

  /**
   * Folds one frame in and returns the events it completes, oldest evidence first. Throws
   * InvalidFrameObservationError (state unchanged) for a malformed or out-of-order frame.
   */
  push(obs: FrameObservation): PerceptionEvent[] {
    const errors = frameObservationErrors(obs, this.lastTMs);
    if (errors.length > 0) throw new InvalidFrameObservationError(errors);
    // Offline tuning (tests/eval/pixel/bottleDump.ts): a build with VITE_TRACKER_DUMP=1 logs each
    // frame so the tracker can be replayed in Node; any other build drops this line.
    if (import.meta.env?.VITE_TRACKER_DUMP === '1') console.log(`TRACKER_OBS ${JSON.stringify(obs)}`);
    this.lastTMs = obs.tMs;
    const t = obs.tMs;
    const out: PerceptionEvent[] = [];
    if (obs.analysed) {
      this.lastAnalysed = obs;
      this.updateHands(obs, t, out);
      this.checkScannerStays(t, out);
      const quiet = !this.anyHandIn('bagging') && (obs.motion.bagging ?? 0) <= this.config.quietMotion;
      this.bagging.frame(t, obs.occupancy.bagging, quiet, out);
      this.updateHandsInScanner(t, out);
    } else {
      // Motion gating skipped this frame: nothing moved, so only the clocks advance.
      this.checkScannerStays(t, out);
    }
    this.bagging.resolveRemovals(t, out);
    this.expireParked(t, out);
    this.updateShopperLeft(obs.analysed ? obs : this.lastAnalysed, obs.analysed, t, out);
    return out;
  }

  /** Forgets every track (a new lane session); ids keep counting so none is ever reused. */
  reset(): void {
    this.hands.clear();
    this.parked.length = 0;
    this.bagging.reset();
    this.lastTMs = undefined;
    this.lastAnalysed = undefined;
    this.reportedScannerHands = 0;
    this.scannerChange = undefined;
    this.lastActivityMs = undefined;
    this.quietPeakMotion = 0;
  }

  private handStates(): HandState[] {
    return [...this.hands.values()];
  }

  private anyHandIn(zone: ZoneName): boolean {
    for (const s of this.hands.values()) {
      if (s.track.zone === zone || s.track.pendingZone?.zone === zone) return true;
    }
    return false;
  }

  // ---- hands ---------------------------------------------------------------------------------

  private updateHands(obs: FrameObservation, t: number, out: PerceptionEvent[]): void {
    const dets = obs.hands.filter((h) => h.score >= this.config.minHandScore);
    const states = this.handStates();
    const { pairs, newDetections } = associate(
      states.map((s) => s.track),
      dets,
      this.config.maxAssociationDistance,
    );
    const matched = new Set<number>();
    for (const [ti, di] of pairs) {
      const s = states[ti]!;
      const det = dets[di]!;
      matched.add(ti);
      for (const tr of observeHand(s.track, det, t, this.zones, this.config))
        this.onTransition(s, tr, det, out);
      this.accumulate(s, det, t);
    }
    states.forEach((s, i) => {
      if (matched.has(i)) return;
      s.track.missedFrames++;
      if (s.track.missedFrames > this.config.maxDropoutFrames) this.loseHand(s, t, out);
      else this.accumulate(s, undefined, t);
    });
    for (const di of newDetections) {
      const det = dets[di]!;
      const s: HandState = { track: newHandTrack(this.nextId++, det, t, this.zones) };
      this.hands.set(s.track.id, s);
      this.enterZone(s, s.track.zone, t, det);
      // The first frame can already start the holding debounce.
      for (const tr of observeHand(s.track, det, t, this.zones, this.config))
        this.onTransition(s, tr, det, out);
      this.accumulate(s, det, t);
    }
  }

  private accumulate(s: HandState, det: HandObservation | undefined, t: number): void {
    if (s.item && det) s.item.lastMs = t;
    s.item?.evidence.frame(det);
    s.visit?.evidence.frame(det);
    const stay = s.stay;
    if (!stay) return;
    stay.evidence.frame(det);
    if (!det) return;
    stay.lastInMs = t;
    const c = s.track.centre;
    if (stay.lastPt) stay.pathLen += Math.hypot(c.x - stay.lastPt.x, c.y - stay.lastPt.y);
    stay.firstPt ??= c;
    stay.lastPt = c;
    if (s.track.holding && s.item && stay.item === s.item) {
      stay.heldMs += t - (stay.lastHeldFrameMs ?? t);
      stay.lastHeldFrameMs = t;
    } else stay.lastHeldFrameMs = undefined;
  }

  private onTransition(s: HandState, tr: HandTransition, det: HandObservation, out: PerceptionEvent[]): void {
    if (tr.kind === 'zone') {
      this.leaveZone(s, tr.from, tr.lastInFromMs, tr.atMs, det, out);
      this.enterZone(s, tr.to, tr.atMs, det);
    } else if (tr.holding) this.startHolding(s, tr.atMs);
    else this.release(s, tr.atMs, out);
  }

  private leaveZone(
    s: HandState,
    zone: ZoneName | null,
    lastInMs: number,
    atMs: number,
    det: HandObservation | undefined,
    out: PerceptionEvent[],
  ): void {
    if (zone === 'scanner') {
      this.endStay(s, lastInMs, out);
      this.scannerChange = { atMs, score: det?.score ?? s.track.last.score };
    } else if (zone === 'bagging' && s.visit) {
      s.visit.exitMs = lastInMs;
      s.visit = undefined;
    }
  }

  private enterZone(s: HandState, zone: ZoneName | null, atMs: number, det: HandObservation): void {
    if (zone === 'scanner') {
      const before = zonesBefore(s.track, atMs, this.config.originLookbackMs);
      s.stay = newStay(atMs, before.includes('pickup') || s.item?.origin === 'pickup');
      if (s.item && s.track.holding) {
        s.stay.item = s.item;
        s.item.visitedScanner = true;
      }
      this.scannerChange = { atMs, score: det.score };
    } else if (zone === 'bagging') {
      s.visit = this.bagging.openVisit(s.track.id, atMs, this.visitFrom(s.track, atMs));
      if (s.item && s.track.holding) s.visit.carried = s.item;
    } else if (zone === 'pickup' || zone === 'exit') this.bagging.noteArrival(s.track.id, zone);
  }

  /** Where a hand entering bagging came from: the last zone of its path, 'outside' if none. */
  private visitFrom(track: HandTrack, atMs: number): BaggingFrom {
    const before = zonesBefore(track, atMs, this.config.originLookbackMs);
    for (const z of before) {
      if (z === 'pickup' || z === 'scanner') return z;
      if (z === 'exit') return 'outside';
    }
    // Only "outside every zone" within the look-back (or a hand that appeared there): the
    // shopper's side, e.g. their own bag. A hand first seen inside bagging tells nothing.
    return before.length > 0 ? 'outside' : 'unknown';
  }

  private loseHand(s: HandState, t: number, out: PerceptionEvent[]): void {
    const track = s.track;
    const lastMs = track.lastSeenMs;
    const held = s.item && track.holding ? s.item : undefined;
    // Lost on its way into the bag (out of the picture through the bagging side, or hidden there):
    // what it held went with it, even if the palm never got confirmed inside.
    const intoBag = held !== undefined && exitZone(track, this.zones) === 'bagging';
    // The episode ended at the last detection; the dropout frames that told us so are not part of it.
    const trailing = track.missedFrames - 1;
    s.item?.evidence.dropTrailingMisses(trailing);
    s.stay?.evidence.dropTrailingMisses(trailing);
    if (track.zone === 'scanner') {
      if (held && !intoBag) this.park(s, lastMs);
      this.endStay(s, lastMs, out);
      this.scannerChange = { atMs: lastMs, score: track.last.score };
    }
    if (s.visit) {
      s.visit.exitMs = lastMs;
      s.visit.lost = true;
      // A held object lost with its hand in the bag may have been set down: a rise will tell.
      if (s.item && track.holding && !s.visit.carried && s.visit.picked !== s.item) s.visit.carried = s.item;
      if (s.item && s.visit.carried === s.item) s.item = undefined;
      s.visit = undefined;
    }
    if (held && intoBag && held.origin === 'pickup' && !held.moveEmitted && !held.placed)
      out.push(moveEvent(held, held.lastMs, t));
    if (s.item === held && intoBag) s.item = undefined;
    if (s.item) this.endItem(s.item, track.zone, t, out);
    this.hands.delete(track.id);
  }

  // ---- items ---------------------------------------------------------------------------------

  private startHolding(s: HandState, atMs: number): void {
    const zone = s.track.zone;
    const before = zonesBefore(s.track, atMs, this.config.originLookbackMs);
    const parked = zone === 'scanner' || before[0] === 'scanner' ? this.parked.pop() : undefined;
    if (parked) {
      // Taken off the plate again (after weighing): same object, same stay.
      s.item = parked.item;
      if (zone === 'scanner') s.stay = parked.stay;
      else this.endParkedStay(parked, atMs);
      return;
    }
    const item = newItem(this.nextId++, this.originOf(s.track, zone, before, atMs), atMs);
    s.item = item;
    if (zone === 'scanner') {
      if (!s.stay || s.stay.passEmitted) s.stay = newStay(atMs, before.includes('pickup'));
      s.stay.item ??= item;
      item.visitedScanner = true;
    } else if (zone === 'bagging' && s.visit) s.visit.picked ??= item;
  }

  private originOf(
    track: HandTrack,
    zone: ZoneName | null,
    before: readonly (ZoneName | null)[],
    atMs: number,
  ): ItemOrigin {
    if (zone === 'pickup') return 'pickup';
    if (zone === 'bagging') return 'bagging';
    if (zone === 'exit') return 'outside';
    // The fingers closed round something in pick-up (palm above it, outside the zone) after the
    // palm was last in the bag or at the exit: that is where the object was.
    const reach = track.reachMs.pickup;
    if (
      reach !== undefined &&
      reach >= atMs - this.config.originLookbackMs &&
      reach > lastLeftMs(track, atMs)
    )
      return 'pickup';
    for (const z of before) {
      if (z === 'pickup') return 'pickup';
      if (z === 'bagging') return 'bagging';
      if (z === 'exit') return 'outside';
    }
    // Nothing but "outside every zone" (or the scanner) in the look-back.
    if (zone === null) return 'outside';
    return before.length > 0 && before.every((z) => z === null) ? 'outside' : 'unknown';
  }

  private release(s: HandState, atMs: number, out: PerceptionEvent[]): void {
    const item = s.item;
    if (!item) return;
    s.item = undefined;
    const zone = s.track.zone;
    if (item.placed) return; // already explained by a bagging rise
    if (zone === 'scanner') {
      s.item = item; // park() takes it from the hand
      this.park(s, atMs);
      return;
    }
    if (zone === 'bagging') {
      if (s.visit && s.visit.picked !== item) s.visit.carried ??= item;
      if (item.origin === 'pickup' && !item.moveEmitted)
        out.push(moveEvent(item, atMs, this.lastTMs ?? atMs));
      return;
    }
    this.endItem(item, zone, this.lastTMs ?? atMs, out);
  }

  /** An object that leaves the hands for good (put back, pocketed, hand lost). */
  private endItem(item: ItemTrack, zone: ZoneName | null, t: number, out: PerceptionEvent[]): void {
    // Shown at the lane and taken back to the shopper's side: a phone, a wallet, a coupon.
    if (item.origin === 'outside' && item.emittedAny && !item.placed && zone !== 'bagging') {
      out.push(
        makeEvent(
          { type: 'nonItemObject', trackId: item.id, kind: 'unknown' },
          { startMs: item.startMs, endMs: item.lastMs },
          item.evidence.confidence(true),
          t,
        ),
      );
    }
  }

  // ---- scanner -------------------------------------------------------------------------------

  private park(s: HandState, atMs: number): void {
    const item = s.item;
    if (!item) return;
    const stay = s.stay ?? newStay(atMs, false);
    stay.item ??= item;
    this.parked.push({ item, stay, parkedAtMs: atMs });
    s.item = undefined;
    s.stay = undefined;
  }

  private endStay(s: HandState, lastInMs: number, out: PerceptionEvent[]): void {
    const stay = s.stay;
    s.stay = undefined;
    if (!stay || stay.passEmitted) return;
    const t = this.lastTMs ?? lastInMs;
    if (stay.item) out.push(passEvent(stay, stay.item.id, lastInMs, t));
    else if (stay.fromPickup) out.push(passEvent(stay, s.track.id, lastInMs, t));
  }

  private endParkedStay(parked: ParkedItem, atMs: number): void {
    parked.stay.lastInMs = atMs;
    this.pendingParkedPass.push(parked);
  }

  /** Dwell passes for long stays, and the scan gesture of a held object. */
  private checkScannerStays(t: number, out: PerceptionEvent[]): void {
    for (const p of this.pendingParkedPass.splice(0)) {
      if (!p.stay.passEmitted && p.stay.item) out.push(passEvent(p.stay, p.stay.item.id, p.stay.lastInMs, t));
    }
    const cfg = this.config;
    for (const s of this.hands.values()) {
      const stay = s.stay;
      if (!stay) continue;
      if (!stay.motionEmitted && stay.item && s.item === stay.item && s.track.holding) {
        const net =
          stay.firstPt && stay.lastPt
            ? Math.hypot(stay.lastPt.x - stay.firstPt.x, stay.lastPt.y - stay.firstPt.y)
            : 0;
        const turned = stay.pathLen >= cfg.minTurnPath && stay.pathLen >= cfg.scanTurnRatio * net;
        if (turned || stay.heldMs >= cfg.scanLingerMs) {
          stay.motionEmitted = true;
          stay.item.emittedAny = true;
          out.push(
            makeEvent(
              { type: 'scanMotion', trackId: stay.item.id },
              { startMs: stay.enterMs, endMs: stay.lastInMs },
              stay.evidence.confidence(true),
              t,
            ),
          );
        }
      }
      if (!stay.passEmitted && stay.lastInMs - stay.enterMs >= cfg.passDwellEmitMs) {
        if (stay.item) out.push(passEvent(stay, stay.item.id, stay.lastInMs, t));
        else if (stay.fromPickup) out.push(passEvent(stay, s.track.id, stay.lastInMs, t));
      }
    }
    for (const p of this.parked) {
      if (!p.stay.passEmitted && t - p.stay.enterMs >= cfg.passDwellEmitMs && p.stay.item) {
        out.push(passEvent(p.stay, p.stay.item.id, t, t));
      }
    }
  }

  private expireParked(t: number, out: PerceptionEvent[]): void {
    for (let i = this.parked.length - 1; i >= 0; i--) {
      const p = this.parked[i]!;
      if (t - p.parkedAtMs < this.config.parkMaxMs) continue;
      this.parked.splice(i, 1);
      this.endItem(p.item, 'scanner', t, out);
    }
  }

  private updateHandsInScanner(t: number, out: PerceptionEvent[]): void {
    let count = 0;
    for (const s of this.hands.values()) if (s.track.zone === 'scanner') count++;
    if (count === this.reportedScannerHands) return;
    this.reportedScannerHands = count;
    const change = this.scannerChange ?? { atMs: t, score: 0.5 };
    out.push(
      makeEvent({ type: 'handsInScanner', count }, { startMs: change.atMs, endMs: t }, change.score, t),
    );
  }

  // ---- presence ------------------------------------------------------------------------------

  private updateShopperLeft(
    frame: FrameObservation | undefined,
    analysed: boolean,
    t: number,
    out: PerceptionEvent[],
  ): void {
    const cfg = this.config;
    const handSeen = frame?.hands.some((h) => h.score >= cfg.minHandScore) ?? false;
    let motion = 0;
    if (analysed && frame) for (const m of Object.values(frame.motion)) motion = Math.max(motion, m ?? 0);
    if (handSeen || motion >= cfg.motionActivity) {
      this.lastActivityMs = t;
      this.quietPeakMotion = 0;
      return;
    }
    if (this.lastActivityMs === undefined) return;
    this.quietPeakMotion = Math.max(this.quietPeakMotion, motion);
    if (t - this.lastActivityMs < cfg.shopperLeftMs) return;
    // Motion just under the activity threshold makes the absence less certain.
    const confidence = 0.95 * (1 - (0.5 * this.quietPeakMotion) / Math.max(cfg.motionActivity, 1e-9));
    out.push(
      makeEvent({ type: 'shopperLeft' }, { startMs: this.lastActivityMs, endMs: t }, round3(confidence), t),
    );
    this.lastActivityMs = undefined;
  }
}

/** When the hand last left the bagging or exit zone before `atMs` (-Infinity if it never was there). */
function lastLeftMs(track: HandTrack, atMs: number): number {
  const h = track.history;
  for (let i = h.length - 1; i >= 0; i--) {
    const v = h[i]!;
    if (v.enterMs >= atMs || (v.zone !== 'bagging' && v.zone !== 'exit')) continue;
    return h[i + 1]?.enterMs ?? atMs;
  }
  return -Infinity;
}
