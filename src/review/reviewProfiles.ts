import { DEFAULT_HANDS_GATE, type HandsGateOptions } from '../worker/tasks/handsGate.ts';
import type { ReviewGateOptions } from './reviewGate.ts';

/**
 * How a stored clip is re-analysed. The zone analysis (motion, occupancy on the 128x72 grid) sees
 * every kept frame; the hand model only the frames the gate picks. Profiles are named so a figure
 * always says which one it was measured with (README "Speed", tests/eval/pixel/speedReview.ts).
 */
export interface ReviewProfile {
  name: string;
  /** Frames per second the zone analysis keeps from the clip (null: every frame it has). */
  zoneFps: number | null;
  gate: { kind: 'live'; options: HandsGateOptions } | { kind: 'review'; options: ReviewGateOptions };
  /** Parallel workers, each on a consecutive part of the clip (the tracker stitched at the seams). */
  workers: number;
}

/** Shared by the review gates: the live gate's motion threshold and hold, so only the rates differ. */
const REVIEW_BASE = {
  zoneMotion: DEFAULT_HANDS_GATE.zoneMotion,
  handHoldMs: DEFAULT_HANDS_GATE.handHoldMs,
  probeMs: DEFAULT_HANDS_GATE.probeMs,
  crossingIntervalMs: 1000 / 12,
  crossingWindowMs: 400,
  // 3x the motion that wakes the live gate, and half a second of calm before a zone can "start"
  // again: without it the scanner band's flicker made 188 of 212 runs "crossings" on the bottle clip.
  crossingMotion: DEFAULT_HANDS_GATE.zoneMotion * 3,
  crossingQuietMs: 500,
} as const;

function review(name: string, activeFps: number, workers = 1, zoneFps = 12): ReviewProfile {
  return {
    name,
    zoneFps,
    gate: { kind: 'review', options: { ...REVIEW_BASE, activeIntervalMs: 1000 / activeFps } },
    workers,
  };
}

export const REVIEW_PROFILES = {
  /** The lane's own analysis: 12 fps, the live motion gate (hand model on every frame with a hand). */
  lane: { name: 'lane', zoneFps: 12, gate: { kind: 'live', options: DEFAULT_HANDS_GATE }, workers: 1 },
  'review-4fps': review('review-4fps', 4),
  'review-3fps': review('review-3fps', 3),
  'review-2fps': review('review-2fps', 2),
  'review-3fps-2workers': review('review-3fps-2workers', 3, 2),
  'review-4fps-2workers': review('review-4fps-2workers', 4, 2),
} as const satisfies Record<string, ReviewProfile>;
export type ReviewProfileName = keyof typeof REVIEW_PROFILES;

/** The profile the product uses to re-analyse a stored clip (chosen in the README's speed table). */
export const DEFAULT_REVIEW_PROFILE: ReviewProfileName = 'review-3fps';

export interface ClipPart {
  /** Frames from here on are analysed but only to warm up the background model and the tracker. */
  warmFromMs: number;
  /** Events that start in [fromMs, toMs) belong to this part. */
  fromMs: number;
  toMs: number;
}

/**
 * Splits [0, durationMs) into `workers` consecutive parts of equal length, each (but the first)
 * warmed up over the `warmupMs` before it so its background model and hand tracks exist at the
 * seam. An event belongs to the part its evidence starts in, so none is counted twice.
 */
export function splitClip(durationMs: number, workers: number, warmupMs: number): ClipPart[] {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be an integer >= 1`);
  if (!(durationMs > 0)) throw new RangeError(`clip duration must be > 0 ms, got ${durationMs}`);
  const step = durationMs / workers;
  return Array.from({ length: workers }, (_, i) => ({
    warmFromMs: Math.max(0, i * step - (i > 0 ? warmupMs : 0)),
    fromMs: i === 0 ? -Infinity : i * step,
    toMs: i === workers - 1 ? Infinity : (i + 1) * step,
  }));
}
