import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CAMERA_SOURCE, ROOT } from './env.ts';

/**
 * The kiosk's default camera is the bottle video's first 6 s, where the hand shows for only its
 * last 0.4 s. Inference tests and the live-inference benchmark use 11.5-17.5 s of the same video,
 * where the hand reaches in, takes and moves bottles twice: made at run time (~20 MB of raw
 * frames, never committed).
 */
export const HANDS_Y4M = path.join(ROOT, '.tmp', 'hands-camera.y4m');

export function ensureHandsCamera(): string {
  if (fs.existsSync(HANDS_Y4M)) return HANDS_Y4M;
  fs.mkdirSync(path.dirname(HANDS_Y4M), { recursive: true });
  const partial = `${HANDS_Y4M}.${process.pid}.partial.y4m`;
  execFileSync('ffmpeg', [
    ...['-y', '-loglevel', 'error', '-ss', '11.5', '-i', CAMERA_SOURCE, '-t', '6'],
    ...['-vf', 'scale=640:360,fps=15', '-pix_fmt', 'yuv420p', partial],
  ]);
  fs.renameSync(partial, HANDS_Y4M);
  return HANDS_Y4M;
}
