/**
 * When to read the label of a held item, so the worker can emit `itemAppearance` (events.ts) for
 * the tracker's item tracks without ever holding up a frame.
 *
 * While a hand holds something in the scanner zone (a "presentation"), the planner keeps the best
 * frame so far: the hand biggest (closest to the camera) and steadiest (least blur), weighted by
 * how sure the holding estimate is. The worker snapshots that frame when asked (`capture`). When
 * the tracker reports the pass (`itemPassedScanner` with an item), the presentation whose time
 * range matches is given that trackId and queued for one read. Reads are budgeted: one at a time,
 * at least `minIntervalMs` apart, only the newest waiting read is kept (older ones are dropped),
 * and at most `maxReadsPerTrack` per track. Pure: time only enters through the frames.
 */
import { zoneAt, type LaneZones, type Point } from '../lane/zones.ts';
import type { PerceptionEvent } from './events.ts';
import type { HandObservation } from './frameObservation.ts';
import { handCropRect, palmLengthPx, type PixelRect } from './appearanceCrop.ts';
import { graspPoint, palmCentre } from './trackerHands.ts';

export interface AppearancePlannerConfig {
  /** A hand counts as presenting an item at this `holding` or above (the tracker's holdOn). */
  minHolding: number;
  /** A palm further than this (normalised) from a presentation's last palm starts another one. */
  maxAssociationDistance: number;
  /** A presentation not seen for this long is closed (its snapshot released). */
  closeAfterMs: number;
  /** A pass matches a presentation whose time range is within this of the pass's range. */
  matchSlackMs: number;
  /** A new snapshot only when the score beats the kept one by this factor (bounds copies). */
  minScoreGain: number;
  /** Label reads started at least this far apart (the OCR shares the kiosk's CPU). */
  minIntervalMs: number;
  /** A read that waited this long is dropped (the shopper has moved on). */
  maxWaitMs: number;
  maxReadsPerTrack: number;
  /** Crop around the hand: margin in palm lengths and smallest side in pixels. */
  cropMarginPalms: number;
  minCropPx: number;
}

export const DEFAULT_APPEARANCE_PLANNER_CONFIG: Readonly<AppearancePlannerConfig> = {
  minHolding: 0.6,
  maxAssociationDistance: 0.2,
  closeAfterMs: 4000,
  matchSlackMs: 500,
  minScoreGain: 1.1,
  minIntervalMs: 1500,
  maxWaitMs: 5000,
  maxReadsPerTrack: 1,
  cropMarginPalms: 1,
  minCropPx: 96,
};

export interface PlannerFrame {
  tMs: number;
  /** Size of the frame the worker crops from (px). */
  width: number;
  height: number;
  /** Hands of this analysed frame (normalised landmarks, as the tracker gets them). */
  hands: readonly HandObservation[];
  /** The tracker's events for this frame. */
  events: readonly PerceptionEvent[];
  /** A label read is still running in the worker. */
  readerBusy: boolean;
}

export type PlannerAction =
  /** Snapshot this frame for presentation `key` (replaces its earlier snapshot). */
  | { kind: 'capture'; key: number; rect: PixelRect; tMs: number }
  /** Read the snapshot of `key` for `trackId`; the evidence spans startMs..endMs. */
  | { kind: 'read'; key: number; trackId: number; startMs: number; endMs: number }
  /** The snapshot of `key` will never be read: release it. */
  | { kind: 'release'; key: number; reason: 'closed' | 'superseded' | 'stale' | 'trackLimit' };

/** Per-track read counts kept (tracks older than this many reads ago are over). */
const READ_COUNT_LIMIT = 256;

interface Presentation {
  key: number;
  centre: Point;
  firstMs: number;
  lastMs: number;
  bestScore: number;
  captured: boolean;
  /** Given a trackId by a pass; no further snapshots. */
  committed: boolean;
}

interface PendingRead {
  key: number;
  trackId: number;
  startMs: number;
  endMs: number;
  queuedMs: number;
}

export class AppearancePlanner {
  readonly config: AppearancePlannerConfig;
  private readonly open: Presentation[] = [];
  private pending: PendingRead | null = null;
  private lastReadMs = -Infinity;
  private nextKey = 1;
  private readonly readsPerTrack = new Map<number, number>();

  constructor(
    private readonly zones: LaneZones,
    config: Partial<AppearancePlannerConfig> = {},
  ) {
    this.config = { ...DEFAULT_APPEARANCE_PLANNER_CONFIG, ...config };
    for (const [k, v] of Object.entries(this.config))
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new RangeError(`appearance planner: ${k} must be a finite number >= 0`);
  }

  /** One analysed frame in; what the worker should do for it out, in order. */
  frame(f: PlannerFrame): PlannerAction[] {
    const out: PlannerAction[] = [];
    this.updatePresentations(f, out);
    for (const e of f.events) if (e.type === 'itemPassedScanner' && e.holdingItem) this.onPass(e, f.tMs, out);
    this.closeStale(f.tMs, out);
    this.releasePending(f, out);
    return out;
  }

  /** A new camera or lane session: everything open is released. */
  reset(): PlannerAction[] {
    const out: PlannerAction[] = this.open.map((p) => ({ kind: 'release', key: p.key, reason: 'closed' }));
    if (this.pending && !this.open.some((p) => p.key === this.pending?.key))
      out.push({ kind: 'release', key: this.pending.key, reason: 'closed' });
    this.open.length = 0;
    this.pending = null;
    this.lastReadMs = -Infinity;
    return out;
  }

  private updatePresentations(f: PlannerFrame, out: PlannerAction[]): void {
    const presenting = f.hands.filter((h) => h.holding >= this.config.minHolding && this.inScanner(h));
    const taken = new Set<Presentation>();
    for (const hand of presenting) {
      const centre = palmCentre(hand);
      const p = this.nearest(centre, taken) ?? this.start(centre, f.tMs);
      taken.add(p);
      const moved = Math.hypot(centre.x - p.centre.x, centre.y - p.centre.y);
      p.centre = centre;
      p.lastMs = f.tMs;
      if (p.committed) continue;
      const palm = palmLengthPx(hand, f.width, f.height);
      if (palm <= 0) continue;
      // Steadiness: palm travel since the last frame in palm lengths (motion blur grows with it).
      const travel = (moved * Math.hypot(f.width, f.height)) / palm;
      const score = palm * hand.holding * (1 / (1 + travel));
      if (p.captured && score < p.bestScore * this.config.minScoreGain) continue;
      p.bestScore = score;
      p.captured = true;
      const rect = handCropRect(hand, f.width, f.height, {
        marginPalms: this.config.cropMarginPalms,
        minSidePx: this.config.minCropPx,
      });
      out.push({ kind: 'capture', key: p.key, rect, tMs: f.tMs });
    }
  }

  private inScanner(h: HandObservation): boolean {
    return (
      zoneAt(palmCentre(h), this.zones.zones) === 'scanner' ||
      zoneAt(graspPoint(h), this.zones.zones) === 'scanner'
    );
  }

  private nearest(c: Point, taken: Set<Presentation>): Presentation | null {
    let best: Presentation | null = null;
    let bestD = this.config.maxAssociationDistance;
    for (const p of this.open) {
      if (taken.has(p)) continue;
      const d = Math.hypot(c.x - p.centre.x, c.y - p.centre.y);
      if (d <= bestD) {
        best = p;
        bestD = d;
      }
    }
    return best;
  }

  private start(centre: Point, tMs: number): Presentation {
    const p: Presentation = {
      key: this.nextKey++,
      centre,
      firstMs: tMs,
      lastMs: tMs,
      bestScore: 0,
      captured: false,
      committed: false,
    };
    this.open.push(p);
    return p;
  }

  private onPass(
    e: Extract<PerceptionEvent, { type: 'itemPassedScanner' }>,
    tMs: number,
    out: PlannerAction[],
  ): void {
    const slack = this.config.matchSlackMs;
    let best: Presentation | null = null;
    let bestOverlap = -Infinity;
    for (const p of this.open) {
      if (!p.captured || p.committed) continue;
      const overlap = Math.min(p.lastMs, e.endMs + slack) - Math.max(p.firstMs, e.startMs - slack);
      if (overlap >= 0 && overlap > bestOverlap) {
        best = p;
        bestOverlap = overlap;
      }
    }
    if (!best) return;
    best.committed = true;
    if ((this.readsPerTrack.get(e.trackId) ?? 0) >= this.config.maxReadsPerTrack) {
      this.drop(best, 'trackLimit', out);
      return;
    }
    if (this.pending) this.drop(this.pending, 'superseded', out);
    this.pending = {
      key: best.key,
      trackId: e.trackId,
      startMs: Math.min(best.firstMs, e.startMs),
      endMs: Math.max(best.lastMs, Math.min(e.endMs, tMs)),
      queuedMs: tMs,
    };
  }

  /** Releases a snapshot and forgets its presentation. */
  private drop(
    p: { key: number },
    reason: 'superseded' | 'stale' | 'trackLimit',
    out: PlannerAction[],
  ): void {
    out.push({ kind: 'release', key: p.key, reason });
    const i = this.open.findIndex((o) => o.key === p.key);
    if (i >= 0) this.open.splice(i, 1);
  }

  private closeStale(tMs: number, out: PlannerAction[]): void {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const p = this.open[i]!;
      if (tMs - p.lastMs <= this.config.closeAfterMs || p.key === this.pending?.key) continue;
      this.open.splice(i, 1);
      if (p.captured) out.push({ kind: 'release', key: p.key, reason: 'closed' });
    }
  }

  private releasePending(f: PlannerFrame, out: PlannerAction[]): void {
    const r = this.pending;
    if (!r) return;
    if (f.tMs - r.queuedMs > this.config.maxWaitMs) {
      this.pending = null;
      this.drop(r, 'stale', out);
      return;
    }
    if (f.readerBusy || f.tMs - this.lastReadMs < this.config.minIntervalMs) return;
    this.pending = null;
    this.lastReadMs = f.tMs;
    this.readsPerTrack.set(r.trackId, (this.readsPerTrack.get(r.trackId) ?? 0) + 1);
    // Track ids only grow: the oldest counts are of tracks long gone (a lane runs for days).
    if (this.readsPerTrack.size > READ_COUNT_LIMIT)
      this.readsPerTrack.delete(this.readsPerTrack.keys().next().value as number);
    const i = this.open.findIndex((o) => o.key === r.key);
    if (i >= 0) this.open.splice(i, 1);
    out.push({ kind: 'read', key: r.key, trackId: r.trackId, startMs: r.startMs, endMs: r.endMs });
  }
}
