import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadAnnotations, type AnnotatedMove, type BottleAnnotations } from '../../eval/pixel/annotations.ts';
import { CAMERA_SOURCE, ROOT, hasRealMedia } from './env.ts';

/**
 * The camera for the pixel-to-nudge test: two pieces of the bottle video joined and looped by
 * Chromium's fake capture, each a few still seconds (so the zone background learns the table)
 * and then a lift-out over the scanner band into the top strip: m1 (left bottle) and m3a+m3b
 * (left and middle at once). The put-back between them (m2) is left out, so every loop is a
 * chance for the tracker: 9.5 s per loop. The cuts change only what stands on the table (the
 * pick-up zone), never with a hand in view. Only time is cut, never the picture, so the annotated
 * zones (normalised to the full frame) apply unchanged.
 */
export const VISION_PIECES: readonly { startS: number; endS: number }[] = [
  { startS: 3.5, endS: 8 },
  { startS: 14.5, endS: 19.5 },
];
export const VISION_LOOP_MS = VISION_PIECES.reduce((ms, p) => ms + (p.endS - p.startS) * 1000, 0);
const FPS = 15;

export const VISION_Y4M = path.join(
  ROOT,
  '.tmp',
  `vision-camera-${VISION_PIECES.map((p) => `${p.startS}-${p.endS}`).join('_')}.y4m`,
);

/** Why the test cannot run here, or null when it can. */
export function visionCameraMissing(): string | null {
  if (!hasRealMedia()) return `needs ${CAMERA_SOURCE} (the bottle video for the fake camera)`;
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  } catch {
    return 'needs ffmpeg on PATH to turn the bottle video into a fake-camera .y4m';
  }
  return null;
}

/** Makes the .y4m once (about 50 MB of raw frames under .tmp, never committed). */
export function ensureVisionCamera(): string {
  if (fs.existsSync(VISION_Y4M)) return VISION_Y4M;
  fs.mkdirSync(path.dirname(VISION_Y4M), { recursive: true });
  // Written aside and renamed, so a run starting meanwhile never reads half a file.
  const partial = `${VISION_Y4M}.${process.pid}.partial.y4m`;
  const trims = VISION_PIECES.map((p, i) => `[0:v]trim=${p.startS}:${p.endS},setpts=PTS-STARTPTS[p${i}]`);
  const joined = `${VISION_PIECES.map((_, i) => `[p${i}]`).join('')}concat=n=${VISION_PIECES.length}:v=1`;
  execFileSync('ffmpeg', [
    ...['-y', '-loglevel', 'error', '-i', CAMERA_SOURCE],
    ...['-filter_complex', `${trims.join(';')};${joined},scale=640:360,fps=${FPS}`],
    ...['-pix_fmt', 'yuv420p', partial],
  ]);
  fs.renameSync(partial, VISION_Y4M);
  return VISION_Y4M;
}

/** The annotation, and the moves that fall wholly inside one of the pieces. */
export function visionScene(): { annotations: BottleAnnotations; moves: AnnotatedMove[] } {
  const annotations = loadAnnotations();
  const moves = annotations.moves.filter((m) =>
    VISION_PIECES.some((p) => m.startS >= p.startS && m.endS <= p.endS),
  );
  return { annotations, moves };
}
