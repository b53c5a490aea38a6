import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright';
import { MEDIA_DIR, ROOT } from './env.ts';

/**
 * Support for the recording tests and benchmark:
 * - a fake camera that shows a real face (shared/media's gesture-recognizer video, a woman facing
 *   the camera), made at run time like the kiosk camera (large, never committed);
 * - the recorder harness page (src/recording/harness), built with Vite into .tmp and served at the
 *   app's own origin under HARNESS_BASE through request routing, so the worker, the wasm and the
 *   model all come from that origin exactly as in the app.
 */
export const FACE_VIDEO = path.join(MEDIA_DIR, 'videos', 'mps_gesture_recognizer_test_video.mp4');
export const FACE_Y4M = path.join(ROOT, '.tmp', 'face-camera.y4m');
export const HARNESS_BASE = '/__recording/';
export const HARNESS_DIR = path.join(ROOT, '.tmp', 'recording-harness');
/** The app's CSP (sync-server/src/http/staticRoutes.ts), so the harness runs under the same rules. */
const APP_CSP = "connect-src 'self'; object-src 'none'; base-uri 'self'";

export function hasFaceMedia(): boolean {
  return fs.existsSync(FACE_VIDEO);
}

/** 640x360 at 15 fps, 6 s (Chromium loops it): ~31 MB of raw frames. */
export function ensureFaceCamera(): string {
  const fresh = fs.existsSync(FACE_Y4M) && fs.statSync(FACE_Y4M).mtimeMs > fs.statSync(FACE_VIDEO).mtimeMs;
  if (!fresh) {
    fs.mkdirSync(path.dirname(FACE_Y4M), { recursive: true });
    execFileSync('ffmpeg', [
      '-y',
      '-loglevel',
      'error',
      '-i',
      FACE_VIDEO,
      '-t',
      '6',
      '-vf',
      'scale=640:360,fps=15',
      '-pix_fmt',
      'yuv420p',
      FACE_Y4M,
    ]);
  }
  return FACE_Y4M;
}

/** Builds the harness (worker, wasm and models included) into HARNESS_DIR. */
export async function buildRecordingHarness(): Promise<string> {
  const { build } = await import('vite');
  const { mediapipeAssets } = await import('../../../src/recording/viteMediapipeAssets.ts');
  await build({
    configFile: false,
    root: path.join(ROOT, 'src/recording/harness'),
    base: HARNESS_BASE,
    logLevel: 'warn',
    plugins: [mediapipeAssets({ root: ROOT })],
    build: {
      outDir: HARNESS_DIR,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      reportCompressedSize: false,
    },
    worker: { format: 'es' },
  });
  return HARNESS_DIR;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.json': 'application/json',
};

/**
 * Serves the built harness at `${origin}${HARNESS_BASE}` (and `media/faces/*` from shared/media)
 * in this context only; everything else still goes to the real app server.
 */
export async function routeRecordingHarness(context: BrowserContext): Promise<void> {
  await context.route(`**${HARNESS_BASE}**`, async (route) => {
    const rel =
      decodeURIComponent(new URL(route.request().url()).pathname.slice(HARNESS_BASE.length)) || 'index.html';
    const file = rel.startsWith('media/faces/')
      ? path.join(MEDIA_DIR, 'faces', path.basename(rel))
      : path.join(HARNESS_DIR, path.normalize(rel));
    if (!file.startsWith(HARNESS_DIR) && !file.startsWith(MEDIA_DIR)) return route.fulfill({ status: 403 });
    if (!fs.existsSync(file) || !fs.statSync(file).isFile())
      return route.fulfill({ status: 404, body: 'not found' });
    const ext = path.extname(file);
    const headers: Record<string, string> = { 'content-type': TYPES[ext] ?? 'application/octet-stream' };
    if (ext === '.html') headers['content-security-policy'] = APP_CSP;
    return route.fulfill({ status: 200, headers, body: fs.readFileSync(file) });
  });
}

/** Pages the harness ran in must not have tried to reach any other origin (telemetry included). */
export function watchForeignRequests(context: BrowserContext, origin: string): string[] {
  const foreign: string[] = [];
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });
  return foreign;
}
