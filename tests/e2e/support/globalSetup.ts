import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CAMERA_SOURCE, CAMERA_Y4M, hasRealMedia } from './env.ts';

/**
 * Chromium's fake camera reads a raw .y4m file; it is made from the real video at each run
 * (about 20 MB, so never committed). Without shared/media a synthetic pattern stands in and the
 * tests that need real footage skip with a message.
 */
export default function globalSetup(): void {
  fs.mkdirSync(path.dirname(CAMERA_Y4M), { recursive: true });
  const common = ['-y', '-loglevel', 'error'];
  // Written aside and renamed, so a run starting meanwhile never reads half a file.
  const partial = `${CAMERA_Y4M}.${process.pid}.partial.y4m`;
  const out = ['-t', '6', '-vf', 'scale=640:360,fps=15', '-pix_fmt', 'yuv420p', partial];
  if (hasRealMedia()) {
    execFileSync('ffmpeg', [...common, '-i', CAMERA_SOURCE, ...out]);
  } else {
    console.warn(
      `[e2e] ${CAMERA_SOURCE} is absent: the fake camera shows a synthetic pattern; real-media tests skip.`,
    );
    execFileSync('ffmpeg', [...common, '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=15', ...out]);
  }
  fs.renameSync(partial, CAMERA_Y4M);
}
