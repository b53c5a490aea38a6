/**
 * Builds the label-reader harness (tests/eval/ocr/harness) with Vite, exactly as the app bundles
 * the worker (same asset plugins, same onnxruntime-web resolution), and serves it inside a
 * Playwright context through request routing: at `${origin}${OCR_HARNESS_BASE}`, with the shared
 * grocery photos under `${OCR_HARNESS_BASE}media/`. Used by tests/e2e/ocr.spec.ts and the evaluation.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const MEDIA_DIR = process.env.MEDIA_DIR ?? path.resolve(ROOT, '..', 'shared', 'media');
export const GROCERY_DIR = path.join(MEDIA_DIR, 'grocery');
export const OCR_HARNESS_BASE = '/__ocr/';

export function hasGroceryMedia(): boolean {
  return fs.existsSync(path.join(GROCERY_DIR, 'labels.csv'));
}

export async function buildOcrHarness(outDir: string): Promise<string> {
  const { build, defaultClientConditions } = await import('vite');
  const { mediapipeAssets } = await import('../../../src/recording/viteMediapipeAssets.ts');
  const { ortAssets, ORT_RESOLVE_CONDITION } = await import('../../../src/worker/ort/viteOrtAssets.ts');
  if (!fs.existsSync(path.join(ROOT, 'models/dist/ch_PP-OCRv4_det_infer.onnx')))
    throw new Error('models/dist has no OCR models: run `node --import tsx models/build.ts`');
  await build({
    configFile: false,
    root: path.join(ROOT, 'tests/eval/ocr/harness'),
    base: OCR_HARNESS_BASE,
    logLevel: 'warn',
    plugins: [mediapipeAssets({ root: ROOT }), ortAssets({ root: ROOT })],
    resolve: { conditions: [ORT_RESOLVE_CONDITION, ...defaultClientConditions] },
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: false, reportCompressedSize: false },
    worker: { format: 'es' },
  });
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};
/** The app's CSP (sync-server/src/http/staticRoutes.ts), so the harness runs under the same rules. */
const APP_CSP = "connect-src 'self'; object-src 'none'; base-uri 'self'";

export async function routeOcrHarness(context: BrowserContext, dir: string, origin: string): Promise<void> {
  await context.route(`${origin}${OCR_HARNESS_BASE}**`, async (route) => {
    const rel =
      decodeURIComponent(new URL(route.request().url()).pathname.slice(OCR_HARNESS_BASE.length)) ||
      'index.html';
    const file = rel.startsWith('media/')
      ? path.join(MEDIA_DIR, path.normalize(rel.slice('media/'.length)))
      : path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir) && !file.startsWith(MEDIA_DIR)) return route.fulfill({ status: 403 });
    if (!fs.existsSync(file) || !fs.statSync(file).isFile())
      return route.fulfill({ status: 404, body: 'not found' });
    const ext = path.extname(file);
    const headers: Record<string, string> = { 'content-type': TYPES[ext] ?? 'application/octet-stream' };
    if (ext === '.html') headers['content-security-policy'] = APP_CSP;
    return route.fulfill({ status: 200, headers, body: fs.readFileSync(file) });
  });
}
