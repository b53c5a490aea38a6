import path from 'node:path';
import { chromium, type BrowserContext } from '@playwright/test';
import { test as base, expect } from './support/fixtures.ts';
import { E2E_PORT, ROOT } from './support/env.ts';
import { OcrHarnessPage } from './pages/OcrHarnessPage.ts';
import { buildOcrHarness, hasGroceryMedia, routeOcrHarness } from '../eval/ocr/serveHarness.ts';
import { textSimilarity } from '../../src/core/fusion/textSimilarity.ts';

/**
 * The wrong-scan label reader in Chromium, through the app's real inference worker: PP-OCR on
 * onnxruntime-web, every file (worker, ORT runtime, models) from the app's own origin. One real
 * grocery photo on WASM, and the WebGPU path on a tiny drawn label in a second browser that has
 * SwiftShader's WebGPU adapter (emulated on the CPU: correct but slow, so nothing is timed here).
 */
const test = base.extend<{ ocr: OcrHarnessPage; foreign: string[] }, { ocrHarness: string }>({
  ocrHarness: [
    // Playwright reads fixture dependencies from the destructuring pattern, so it must stay `{}`.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => use(await buildOcrHarness(path.join(ROOT, '.tmp', `ocr-harness-${E2E_PORT}`))),
    { scope: 'worker' },
  ],
  foreign: async ({ context, baseURL }, use) => use(watchForeign(context, baseURL ?? '')),
  ocr: async ({ context, page, ocrHarness, baseURL }, use) => {
    await routeOcrHarness(context, ocrHarness, baseURL ?? '');
    const ocr = new OcrHarnessPage(page);
    await ocr.open(baseURL ?? '');
    await use(ocr);
  },
});

function watchForeign(context: BrowserContext, origin: string): string[] {
  const foreign: string[] = [];
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });
  return foreign;
}

// Model sessions take seconds on a busy 2-core machine; SwiftShader's WebGPU much longer.
test.describe.configure({ timeout: 240_000 });

test('reads the brand off a real milk carton on WASM, all from our origin', async ({ ocr, foreign }) => {
  test.skip(!hasGroceryMedia(), 'shared/media/grocery is absent (MEDIA_DIR): the real photos are needed');
  await ocr.configure({ backend: 'wasm' });
  const before = await ocr.status();
  expect(before).toMatchObject({ backend: 'wasm', reason: 'wasm: forced by config', models: [] });

  const read = await ocr.readGrocery('natural/Arla-Standard-Milk/Arla-Standard-Milk_004.jpg');
  expect(read.backend).toBe('wasm');
  expect(read.boxes.length).toBeGreaterThan(0);
  // The carton's brand is the read closest to its own name among the photo set's packaged products.
  const names = ['Arla Standard Milk', 'Oatly Oat Milk', 'Bravo Apple Juice', 'Alpro Fresh Soy Milk'];
  const sims = names.map((n) => textSimilarity(read.text, n));
  expect(read.text.toLowerCase(), `read: ${read.text}`).toContain('arla');
  expect(Math.max(...sims)).toBe(sims[0]);
  for (const b of read.boxes) {
    expect(b.x + b.w).toBeLessThanOrEqual(read.width);
    expect(b.y + b.h).toBeLessThanOrEqual(read.height);
  }

  const after = await ocr.status();
  expect(after.models.map((m) => m.name)).toEqual(['ocr-det', 'ocr-rec']);
  expect(foreign).toEqual([]);
});

test('chooses WebGPU when a WebGPU adapter exists (SwiftShader), and reads on it', async ({
  ocrHarness,
  baseURL,
}) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-webgpu',
      '--use-webgpu-adapter=swiftshader',
      '--use-angle=swiftshader',
      '--enable-features=Vulkan',
      '--use-vulkan=swiftshader',
    ],
  });
  // Seconds per kernel compile on the emulated adapter; minutes when the machine is busy.
  test.setTimeout(420_000);
  try {
    const context = await browser.newContext();
    const errors: string[] = [];
    context.on('page', (p) => {
      p.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      p.on('pageerror', (e) => errors.push(e.message));
    });
    await routeOcrHarness(context, ocrHarness, baseURL ?? '');
    const ocr = new OcrHarnessPage(await context.newPage());
    await ocr.open(baseURL ?? '');

    const status = await ocr.status();
    expect(status.backend).toBe('webgpu');
    expect(status.reason).toMatch(/^webgpu: adapter .*swiftshader/i);

    // A tiny input: the detector and recogniser run their WebGPU kernels without minutes of emulation.
    const read = await ocr.readDrawn('MILK', 64, 32);
    expect(read.backend).toBe('webgpu');
    expect((await ocr.status()).models.map((m) => m.name)).toEqual(['ocr-det', 'ocr-rec']);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});
