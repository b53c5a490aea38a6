import path from 'node:path';
import fs from 'node:fs';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 8799);
/** The e2e server's data; per port, so two runs on one machine do not share a store. */
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? `.tmp/e2e-data-${E2E_PORT}`;
export const POS_TOKEN = 'e2e-token';
export const ROOT = path.resolve(import.meta.dirname, '../../..');
/** Real media lives beside the repo in shared/media and is never copied in (MEDIA_DIR overrides). */
export const MEDIA_DIR = process.env.MEDIA_DIR ?? path.resolve(ROOT, '..', 'shared', 'media');
export const CAMERA_SOURCE = path.join(MEDIA_DIR, 'videos', 'intel_bottle-detection.mp4');
export const CAMERA_Y4M = path.join(ROOT, '.tmp', 'camera.y4m');

export function hasRealMedia(): boolean {
  return fs.existsSync(CAMERA_SOURCE);
}

/** Flags for Debian's Chromium as root in a sandbox; the camera is a real video through fake capture. */
export function chromiumArgs(opts: { camera: string }): string[] {
  const args = [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    '--use-fake-device-for-media-stream',
  ];
  if (opts.camera === 'deny') args.push('--use-fake-ui-for-media-stream=deny', '--deny-permission-prompts');
  else args.push('--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${opts.camera}`);
  return args;
}
