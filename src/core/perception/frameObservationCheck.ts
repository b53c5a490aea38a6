/**
 * Checks one FrameObservation before the tracker folds it in. The tracker keeps state across
 * frames, so a NaN position or a frame from the past would quietly corrupt every later event;
 * rejecting the frame whole (with readable reasons) leaves that state as it was.
 */
import { ZONE_NAMES } from '../lane/zones.ts';
import type { FrameObservation } from './frameObservation.ts';

export const HAND_LANDMARK_COUNT = 21;

const ZONE_SET: ReadonlySet<string> = new Set(ZONE_NAMES);

const isFiniteNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isUnit = (x: unknown): boolean => isFiniteNum(x) && x >= 0 && x <= 1;

/** Reasons the observation is unusable; empty when it is fine. */
export function frameObservationErrors(obs: FrameObservation, lastTMs?: number): string[] {
  const errors: string[] = [];
  if (!isFiniteNum(obs.tMs)) errors.push('tMs: must be a finite number');
  else if (lastTMs !== undefined && obs.tMs < lastTMs) {
    errors.push(`tMs: ${obs.tMs} is before the previous frame (${lastTMs}); frames must come in order`);
  }
  if (typeof obs.analysed !== 'boolean') errors.push('analysed: must be a boolean');
  if (!Array.isArray(obs.hands)) errors.push('hands: must be an array');
  else {
    obs.hands.forEach((h, i) => {
      if (!Array.isArray(h.landmarks) || h.landmarks.length !== HAND_LANDMARK_COUNT) {
        errors.push(`hands[${i}].landmarks: must hold ${HAND_LANDMARK_COUNT} points`);
      } else if (
        !h.landmarks.every(
          (p: { x: unknown; y: unknown } | undefined) => isFiniteNum(p?.x) && isFiniteNum(p?.y),
        )
      ) {
        errors.push(`hands[${i}].landmarks: every point needs finite x and y`);
      }
      if (h.handedness !== 'Left' && h.handedness !== 'Right') {
        errors.push(`hands[${i}].handedness: must be 'Left' or 'Right'`);
      }
      if (!isUnit(h.score)) errors.push(`hands[${i}].score: must be a number in 0..1`);
      if (!isUnit(h.holding)) errors.push(`hands[${i}].holding: must be a number in 0..1`);
    });
  }
  for (const field of ['occupancy', 'motion'] as const) {
    const map = obs[field] as Record<string, unknown> | undefined;
    if (typeof map !== 'object' || map === null) {
      errors.push(`${field}: must be an object of zone fractions`);
      continue;
    }
    for (const [zone, value] of Object.entries(map)) {
      if (!ZONE_SET.has(zone)) errors.push(`${field}.${zone}: unknown zone`);
      else if (value !== undefined && !isUnit(value))
        errors.push(`${field}.${zone}: must be a number in 0..1`);
    }
  }
  return errors;
}

export class InvalidFrameObservationError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`Invalid frame observation (frame ignored, tracker state unchanged): ${errors.join('; ')}`);
    this.name = 'InvalidFrameObservationError';
  }
}
