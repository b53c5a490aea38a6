/**
 * Wrong-scan evidence on real photos (shared/media/grocery), measured in Chromium through the app's
 * real inference worker: for every natural photo, the label reader's OCR text and a colour
 * histogram; then how often that evidence would contradict a wrong scan (any other catalogue
 * product) and how often it would wrongly contradict the right one (see metrics.ts).
 *
 *   const r = await runOcrEval();   // { skipped } without the shared media
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OcrHarness } from './harness/harness.ts';
import {
  groupFigures,
  photoFigures,
  posNameOf,
  type CatalogueClass,
  type GroupFigures,
  type PhotoFigures,
  type PhotoResult,
} from './metrics.ts';
import {
  GROCERY_DIR,
  OCR_HARNESS_BASE,
  ROOT,
  buildOcrHarness,
  hasGroceryMedia,
  routeOcrHarness,
} from './serveHarness.ts';

/** Classes whose packaging carries text; the other staged classes are loose produce. */
export const PACKAGED_CLASSES = [
  'Arla-Standard-Milk',
  'Oatly-Oat-Milk',
  'Bravo-Apple-Juice',
  'Alpro-Fresh-Soy-Milk',
];

export interface OcrEvalOptions {
  backend?: 'auto' | 'webgpu' | 'wasm';
  /** Photos per class (default all 10). */
  perClass?: number;
  /** Only these classes (default all staged classes). */
  classes?: string[];
  colourThreshold?: number;
  log?: (line: string) => void;
}

export interface OcrEvalResult {
  backend: string;
  reason: string;
  sessionMs: number;
  colourThreshold: number;
  catalogueSize: number;
  packaged: GroupFigures;
  produce: GroupFigures;
  all: GroupFigures;
  colourSweep: { threshold: number; wrongScanCaught: number; rightScanContradicted: number }[];
  photos: PhotoFigures[];
}

type Window = { ocrHarness: OcrHarness };
const ORIGIN = 'http://127.0.0.1:8899';

function csv(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0)
    .slice(1)
    .map((l) => l.split(','));
}

export async function runOcrEval(options: OcrEvalOptions = {}): Promise<OcrEvalResult | { skipped: string }> {
  if (!hasGroceryMedia())
    return { skipped: `shared media absent: ${GROCERY_DIR}/labels.csv not found (set MEDIA_DIR)` };
  const log = options.log ?? (() => {});
  const colourThreshold = options.colourThreshold ?? 0.6;
  const labels = csv(path.join(GROCERY_DIR, 'labels.csv')).map(([file, className]) => ({
    file: file ?? '',
    className: className ?? '',
  }));
  const classes = csv(path.join(GROCERY_DIR, 'classes.csv')).map((r) => ({
    name: r[0] ?? '',
    id: r[1] ?? '',
    iconic: path.basename(r[4] ?? ''),
  }));
  const wanted = new Set(options.classes ?? labels.map((l) => l.className));
  const perClass = new Map<string, number>();
  const photos = labels.filter((l) => {
    if (!wanted.has(l.className)) return false;
    const n = (perClass.get(l.className) ?? 0) + 1;
    perClass.set(l.className, n);
    return n <= (options.perClass ?? Infinity);
  });

  const { chromium } = await import('playwright');
  const dir = await buildOcrHarness(path.join(ROOT, '.tmp', 'ocr-harness-eval'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext();
    await routeOcrHarness(context, dir, ORIGIN);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${ORIGIN}${OCR_HARNESS_BASE}index.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await page.evaluate(
      (b) => (window as unknown as Window).ocrHarness.configure({ backend: b }),
      options.backend ?? 'wasm',
    );

    const media = `${OCR_HARNESS_BASE}media/grocery/`;
    const catalogue: CatalogueClass[] = [];
    for (const c of classes) {
      const iconicHist = await page.evaluate(
        (u) => (window as unknown as Window).ocrHarness.histogram(u, { ignoreWhite: true }),
        `${media}iconic/${c.iconic}`,
      );
      catalogue.push({ name: c.name, posName: posNameOf(c.name), gtin: `class-${c.id}`, iconicHist });
    }
    const results: PhotoResult[] = [];
    for (const p of photos) {
      const url = `${media}${p.file}`;
      const read = await page.evaluate((u) => (window as unknown as Window).ocrHarness.read(u), url);
      // The shelf around the product is not the product: the centre carries most of its colour.
      const hist = await page.evaluate(
        (u) => (window as unknown as Window).ocrHarness.histogram(u, { ignoreWhite: false, centre: 0.6 }),
        url,
      );
      results.push({ file: p.file, className: p.className, text: read.text, ms: read.ms, hist });
      log(
        `${p.file}: "${read.text}" (${read.ms.toFixed(0)} ms${read.loadMs >= 1 ? `, models ${read.loadMs.toFixed(0)} ms` : ''})`,
      );
    }
    const status = await page.evaluate(() => (window as unknown as Window).ocrHarness.status());
    if (errors.length > 0) throw new Error(`console errors in the harness: ${errors.join(' | ')}`);

    const rows = results.map((r) => photoFigures(r, catalogue, colourThreshold));
    const group = (keep: (r: PhotoResult) => boolean): GroupFigures =>
      groupFigures(
        rows.filter((_, i) => keep(results[i]!)),
        results.filter(keep).map((r) => r.ms),
      );
    const packaged = (r: PhotoResult): boolean => PACKAGED_CLASSES.includes(r.className);
    const colourSweep = [0.4, 0.5, 0.6, 0.7, 0.8].map((t) => {
      const g = groupFigures(
        results.map((r) => photoFigures(r, catalogue, t)),
        [],
      );
      return {
        threshold: t,
        wrongScanCaught: g.wrongScanCaught.colour,
        rightScanContradicted: g.rightScanContradicted.colour,
      };
    });
    return {
      backend: status.backend,
      reason: status.reason,
      sessionMs: status.sessionMs,
      colourThreshold,
      catalogueSize: catalogue.length,
      packaged: group(packaged),
      produce: group((r) => !packaged(r)),
      all: group(() => true),
      colourSweep,
      photos: rows,
    };
  } finally {
    await browser.close();
  }
}
