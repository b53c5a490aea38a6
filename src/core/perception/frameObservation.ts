/**
 * What the inference worker sees in one analysed camera frame, before any tracking: the input of
 * the perception tracker (which turns a stream of these into the PerceptionEvents of events.ts).
 * Kept free of MediaPipe types so the tracker can be tested in Node on synthetic streams.
 *
 * Positions are normalised to the camera image (0..1), the same space as the lane zones
 * (src/core/lane/zones.ts). Times are ms on the recorder clock (`performance.timeOrigin +
 * performance.now()`); the page converts to the POS clock before fusion.
 */
import type { ZoneName } from '../lane/zones.ts';

export interface HandObservation {
  /** 21 MediaPipe hand landmarks (wrist, thumb 1-4, index 1-4, middle 1-4, ring 1-4, pinky 1-4). */
  landmarks: readonly { x: number; y: number }[];
  handedness: 'Left' | 'Right';
  /** Detector confidence, 0..1. */
  score: number;
  /**
   * Likelihood that the hand holds something, 0..1, from the hand pose (curled fingers around a
   * gap) and the appearance around it (pixels that differ from the empty lane next to the palm).
   */
  holding: number;
}

export interface FrameObservation {
  tMs: number;
  /** False when the frame was skipped by motion gating: hands/zones then repeat the last result. */
  analysed: boolean;
  hands: readonly HandObservation[];
  /**
   * Per zone, the fraction of its pixels that differ from the learned empty-lane background
   * (0..1). Rising in bagging = something set down; falling = something taken out.
   */
  occupancy: Partial<Record<ZoneName, number>>;
  /** Per zone, the fraction of pixels that changed since the previous analysed frame (0..1). */
  motion: Partial<Record<ZoneName, number>>;
}
