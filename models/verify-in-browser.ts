/**
 * Checks in a real Chromium that the models in models/dist work with @mediapipe/tasks-vision: loads each
 * hand landmarker bundle and the face detector in a page (CPU delegate, IMAGE mode), runs them on the shared
 * test photos, and compares the hands with golden keypoints and the face counts with the known ones.
 *
 *   node --import tsx models/verify-in-browser.ts [--repeats N] [--no-build] [--json FILE] [--verbose]
 *
 * Exits 0 when everything passes or when the test media (/work/shared/media, or $MEDIA_DIR) is missing
 * (with a skip message), 1 when a check fails. `verifyModelsInBrowser()` is exported for other suites.
 */
import { chromium } from '@playwright/test';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildModels } from './build.ts';

const MODELS_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(MODELS_DIR, '..');

export const DEFAULT_MEDIA_DIR = '/work/shared/media';
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--headless=new',
];

export const HAND_IMAGE = 'hands/tfjs_hands.jpg';
export const HAND_KEYPOINTS = 'hands/tfjs_hands.expected_keypoints.json';
export const FACE_IMAGES: readonly { image: string; expectedFaces: number }[] = [
  { image: 'faces/tfjs_three_people.jpg', expectedFaces: 3 },
  { image: 'faces/mps_face_detector_testImg.jpeg', expectedFaces: 2 },
];
export const HAND_MODELS = ['hand_landmarker_lite.task', 'hand_landmarker_full.task'];
/**
 * The golden keypoints come from MediaPipe Hands with the full models (upstream's default), so the upstream
 * tolerance applies to the full bundle. The lite models are a different network: they are held to a
 * sanity bound of this many times the tolerance, which still catches a broken model (wrong normalization
 * puts points hundreds of pixels off or finds no hands).
 */
export const LITE_TOLERANCE_FACTOR = 2;
export const toleranceFor = (model: string, tolerancePx: number): number =>
  model.includes('lite') ? tolerancePx * LITE_TOLERANCE_FACTOR : tolerancePx;
export const FACE_MODEL = 'face_detector_short_range.tflite';

// ---------------------------------------------------------------------------------------------------------
// Static server

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.task': 'application/octet-stream',
  '.tflite': 'application/octet-stream',
};

export interface StaticServer {
  url: string;
  close: () => Promise<void>;
}

/**
 * Serves `mounts` (URL prefix like '/tv/' -> directory) and `pages` (exact path -> HTML) on 127.0.0.1 at a
 * free port. Only GET/HEAD of files inside a mounted directory are answered.
 */
export function startStaticServer(
  mounts: Record<string, string>,
  pages: Record<string, string> = {},
): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, {
        'content-type': type,
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    const page = pages[path];
    if (page !== undefined) return send(200, page, CONTENT_TYPES['.html']);
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      const root = resolve(dir);
      const file = resolve(root, `.${sep}${path.slice(prefix.length)}`);
      if (!file.startsWith(root + sep)) return send(403, 'forbidden');
      if (!existsSync(file) || !statSync(file).isFile()) return send(404, `not found: ${path}`);
      return send(
        200,
        readFileSync(file),
        CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      );
    }
    send(404, `not found: ${path}`);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      ok({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// The page

/** Runs in the browser. Kept as plain JS inside the HTML so nothing needs bundling. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>models/verify-in-browser</title>
<script type="module">
import { FilesetResolver, HandLandmarker, FaceDetector } from '/tv/vision_bundle.mjs';

const loadImage = async (url) => {
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
};

const timed = (repeats, fn) => {
  const ms = [];
  let result;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    result = fn();
    ms.push(performance.now() - t);
  }
  return { result, ms };
};

window.runChecks = async (cfg) => {
  const out = { userAgent: navigator.userAgent, hands: [], faces: [] };
  const fileset = await FilesetResolver.forVisionTasks('/tv/wasm');
  let t;
  const handImage = await loadImage(cfg.handImage);
  for (const model of cfg.handModels) {
    const entry = { model, width: handImage.naturalWidth, height: handImage.naturalHeight };
    out.hands.push(entry);
    try {
      t = performance.now();
      const landmarker = await HandLandmarker.createFromOptions(fileset, {
        baseOptions: { modelAssetPath: '/models/' + model, delegate: 'CPU' },
        runningMode: 'IMAGE',
        numHands: 2,
      });
      entry.createMs = performance.now() - t;
      const { result, ms } = timed(cfg.repeats, () => landmarker.detect(handImage));
      entry.inferenceMs = ms;
      entry.hands = result.landmarks.map((points, i) => ({
        handedness: result.handedness[i]?.[0]?.categoryName,
        score: result.handedness[i]?.[0]?.score,
        points: points.map((p) => [p.x * handImage.naturalWidth, p.y * handImage.naturalHeight]),
      }));
      landmarker.close();
    } catch (e) {
      entry.error = String(e && e.stack || e);
    }
  }
  const entry = { model: cfg.faceModel, images: [] };
  out.faces.push(entry);
  try {
    t = performance.now();
    const detector = await FaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: '/models/' + cfg.faceModel, delegate: 'CPU' },
      runningMode: 'IMAGE',
    });
    entry.createMs = performance.now() - t;
    for (const image of cfg.faceImages) {
      const img = await loadImage(image.url);
      const { result, ms } = timed(cfg.repeats, () => detector.detect(img));
      entry.images.push({
        image: image.name,
        expectedFaces: image.expectedFaces,
        width: img.naturalWidth,
        height: img.naturalHeight,
        inferenceMs: ms,
        faces: result.detections.map((d) => ({ score: d.categories[0]?.score, box: d.boundingBox })),
      });
    }
    detector.close();
  } catch (e) {
    entry.error = String(e && e.stack || e);
  }
  return out;
};
window.pageReady = true;
</script>
`;

// ---------------------------------------------------------------------------------------------------------
// Scoring

type Point = [number, number];

interface RawHandResult {
  model: string;
  width: number;
  height: number;
  createMs?: number;
  inferenceMs?: number[];
  hands?: { handedness?: string; score?: number; points: Point[] }[];
  error?: string;
}
interface RawFaceResult {
  model: string;
  createMs?: number;
  images: {
    image: string;
    expectedFaces: number;
    width: number;
    height: number;
    inferenceMs: number[];
    faces: { score?: number; box?: { originX: number; originY: number; width: number; height: number } }[];
  }[];
  error?: string;
}
interface RawResults {
  userAgent: string;
  hands: RawHandResult[];
  faces: RawFaceResult[];
}

export interface TimingSummary {
  /** The first call (includes warm-up). */
  firstMs: number;
  /** Median of the later calls (or the first when there is only one). */
  medianMs: number;
}

export interface HandModelReport {
  model: string;
  ok: boolean;
  error?: string;
  createMs?: number;
  timing?: TimingSummary;
  handsFound: number;
  handsExpected: number;
  /** Largest per-coordinate error accepted for this model. */
  tolerancePx: number;
  /** One per expected hand, matched to the detected hand with the nearest wrist. */
  perHand: {
    expectedIndex: number;
    handedness?: string;
    meanPx: number;
    maxPx: number;
    /** Largest |dx| or |dy| over the 21 points: what the upstream test's tolerance applies to. */
    maxCoordPx: number;
  }[];
}

export interface FaceImageReport {
  image: string;
  ok: boolean;
  facesFound: number;
  facesExpected: number;
  scores: number[];
  timing: TimingSummary;
}

export interface FaceModelReport {
  model: string;
  ok: boolean;
  error?: string;
  createMs?: number;
  images: FaceImageReport[];
}

export interface VerificationReport {
  skipped: false;
  ok: boolean;
  browser: string;
  /** The golden keypoints' tolerance (per coordinate, px). */
  tolerancePx: number;
  /** Requests to other origins that the page attempted (all blocked). */
  blockedRequests: string[];
  hands: HandModelReport[];
  faces: FaceModelReport[];
}

export type VerificationOutcome = VerificationReport | { skipped: true; reason: string };

function timing(ms: number[]): TimingSummary {
  const rest = ms.length > 1 ? ms.slice(1) : ms;
  const sorted = [...rest].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { firstMs: ms[0] ?? NaN, medianMs: median };
}

const dist = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Pairs each expected hand with a distinct detected hand, nearest wrists first. */
export function matchByWrist(expected: Point[][], found: Point[][]): Map<number, number> {
  const pairs: { e: number; f: number; d: number }[] = [];
  expected.forEach((eh, e) => found.forEach((fh, f) => pairs.push({ e, f, d: dist(eh[0]!, fh[0]!) })));
  pairs.sort((a, b) => a.d - b.d);
  const match = new Map<number, number>();
  const used = new Set<number>();
  for (const p of pairs) {
    if (match.has(p.e) || used.has(p.f)) continue;
    match.set(p.e, p.f);
    used.add(p.f);
  }
  return match;
}

export function scoreHands(raw: RawHandResult, expected: Point[][], tolerancePx: number): HandModelReport {
  const report: HandModelReport = {
    model: raw.model,
    ok: false,
    handsFound: raw.hands?.length ?? 0,
    handsExpected: expected.length,
    tolerancePx,
    perHand: [],
  };
  if (raw.error) report.error = raw.error;
  if (raw.createMs !== undefined) report.createMs = raw.createMs;
  if (raw.inferenceMs?.length) report.timing = timing(raw.inferenceMs);
  if (!raw.hands) return report;
  const found = raw.hands.map((h) => h.points);
  const match = matchByWrist(expected, found);
  for (const [e, f] of [...match].sort((a, b) => a[0] - b[0])) {
    const exp = expected[e]!;
    const got = found[f]!;
    const errs = exp.map((p, i) => dist(p, got[i]!));
    const coord = exp.map((p, i) => Math.max(Math.abs(p[0] - got[i]![0]), Math.abs(p[1] - got[i]![1])));
    const hand = raw.hands[f]!;
    report.perHand.push({
      expectedIndex: e,
      ...(hand.handedness ? { handedness: hand.handedness } : {}),
      meanPx: errs.reduce((a, b) => a + b, 0) / errs.length,
      maxPx: Math.max(...errs),
      maxCoordPx: Math.max(...coord),
    });
  }
  report.ok =
    !raw.error &&
    report.handsFound === expected.length &&
    report.perHand.length === expected.length &&
    report.perHand.every((h) => h.maxCoordPx <= tolerancePx);
  return report;
}

export function scoreFaces(raw: RawFaceResult): FaceModelReport {
  const images = raw.images.map((img) => ({
    image: img.image,
    ok: img.faces.length === img.expectedFaces,
    facesFound: img.faces.length,
    facesExpected: img.expectedFaces,
    scores: img.faces.map((f) => f.score ?? NaN),
    timing: timing(img.inferenceMs),
  }));
  const report: FaceModelReport = {
    model: raw.model,
    ok: !raw.error && images.length > 0 && images.every((i) => i.ok),
    images,
  };
  if (raw.error) report.error = raw.error;
  if (raw.createMs !== undefined) report.createMs = raw.createMs;
  return report;
}

// ---------------------------------------------------------------------------------------------------------
// Running

export interface VerifyOptions {
  modelsDir?: string;
  mediaDir?: string;
  tasksVisionDir?: string;
  chromiumPath?: string;
  /** Inference calls per image (the first one is reported apart as warm-up). Default 5. */
  repeats?: number;
  handModels?: string[];
  /** Called with each console line of the page. */
  onConsole?: (line: string) => void;
}

export async function verifyModelsInBrowser(options: VerifyOptions = {}): Promise<VerificationOutcome> {
  const mediaDir = resolve(options.mediaDir ?? process.env.MEDIA_DIR ?? DEFAULT_MEDIA_DIR);
  const needed = [HAND_IMAGE, HAND_KEYPOINTS, ...FACE_IMAGES.map((f) => f.image)];
  const missing = needed.filter((f) => !existsSync(join(mediaDir, f)));
  if (missing.length) {
    return { skipped: true, reason: `test media not found in ${mediaDir} (missing ${missing.join(', ')})` };
  }
  const modelsDir = resolve(options.modelsDir ?? join(MODELS_DIR, 'dist'));
  const handModels = options.handModels ?? HAND_MODELS;
  for (const m of [...handModels, FACE_MODEL]) {
    if (!existsSync(join(modelsDir, m)))
      throw new Error(`${join(modelsDir, m)} is missing; run models/build.ts first`);
  }
  const tasksVisionDir = resolve(
    options.tasksVisionDir ?? join(REPO_ROOT, 'node_modules/@mediapipe/tasks-vision'),
  );
  const chromiumPath = options.chromiumPath ?? process.env.CHROMIUM_PATH ?? CHROMIUM_PATH;
  const golden = JSON.parse(readFileSync(join(mediaDir, HAND_KEYPOINTS), 'utf8')) as {
    hands: Point[][];
    tolerance_px?: number;
  };
  const tolerancePx = golden.tolerance_px ?? 20;

  const server = await startStaticServer(
    { '/tv/': tasksVisionDir, '/models/': modelsDir, '/media/': mediaDir },
    { '/': PAGE },
  );
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext();
    const blocked: string[] = [];
    // Everything must come from our origin; anything else is recorded and refused.
    await context.route(
      (url) => url.origin !== server.url,
      (route) => {
        blocked.push(`${route.request().method()} ${route.request().url()}`);
        return route.abort('blockedbyclient');
      },
    );
    const page = await context.newPage();
    page.on('console', (m) => options.onConsole?.(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => options.onConsole?.(`[pageerror] ${e.message}`));
    await page.goto(`${server.url}/`);
    await page.waitForFunction(
      () => (window as unknown as { pageReady?: boolean }).pageReady === true,
      null,
      {
        timeout: 30_000,
      },
    );
    const cfg = {
      repeats: Math.max(1, options.repeats ?? 5),
      handModels,
      handImage: `/media/${HAND_IMAGE}`,
      faceModel: FACE_MODEL,
      faceImages: FACE_IMAGES.map((f) => ({
        name: f.image,
        url: `/media/${f.image}`,
        expectedFaces: f.expectedFaces,
      })),
    };
    const raw = (await page.evaluate(
      (c) => (window as unknown as { runChecks: (c: unknown) => Promise<unknown> }).runChecks(c),
      cfg,
    )) as RawResults;
    await context.close(); // closing the tasks already flushed their telemetry; wait for nothing more
    const hands = raw.hands.map((h) => scoreHands(h, golden.hands, toleranceFor(h.model, tolerancePx)));
    const faces = raw.faces.map(scoreFaces);
    return {
      skipped: false,
      ok: hands.every((h) => h.ok) && faces.every((f) => f.ok),
      browser: `${browser.version()} (${chromiumPath})`,
      tolerancePx,
      blockedRequests: blocked,
      hands,
      faces,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

const ms = (v: number | undefined): string =>
  v === undefined || Number.isNaN(v) ? '-' : `${v.toFixed(1)} ms`;

export function formatReport(r: VerificationOutcome): string {
  if (r.skipped) return `SKIP models/verify-in-browser: ${r.reason}`;
  const lines: string[] = [];
  lines.push(`Chromium ${r.browser}; CPU delegate, IMAGE mode`);
  lines.push('create = createFromOptions (the first one includes fetching and compiling the wasm);');
  lines.push('first = first detect() call; median = median of the later calls');
  lines.push('');
  lines.push(
    `Hands: ${HAND_IMAGE} vs ${HAND_KEYPOINTS} (upstream tolerance ${r.tolerancePx} px per coordinate, from ` +
      `the full models; lite judged at ${LITE_TOLERANCE_FACTOR}x)`,
  );
  lines.push(
    [
      'model'.padEnd(28),
      'found'.padEnd(6),
      'hand'.padEnd(12),
      'mean px'.padStart(8),
      'max px'.padStart(8),
      'max |d| px'.padStart(11),
      'create'.padStart(11),
      'first'.padStart(10),
      'median'.padStart(10),
      '  result',
    ].join(' '),
  );
  for (const h of r.hands) {
    const rows = h.perHand.length ? h.perHand : [undefined];
    rows.forEach((p, i) => {
      lines.push(
        [
          (i === 0 ? h.model : '').padEnd(28),
          (i === 0 ? `${h.handsFound}/${h.handsExpected}` : '').padEnd(6),
          (p ? `#${p.expectedIndex} ${p.handedness ?? ''}` : '-').padEnd(12),
          (p ? p.meanPx.toFixed(1) : '-').padStart(8),
          (p ? p.maxPx.toFixed(1) : '-').padStart(8),
          (p ? p.maxCoordPx.toFixed(1) : '-').padStart(11),
          (i === 0 ? ms(h.createMs) : '').padStart(11),
          (i === 0 ? ms(h.timing?.firstMs) : '').padStart(10),
          (i === 0 ? ms(h.timing?.medianMs) : '').padStart(10),
          i === 0 ? `  ${h.ok ? 'PASS' : 'FAIL'} (<= ${h.tolerancePx} px)` : '',
        ].join(' '),
      );
    });
    if (h.error) lines.push(`  error: ${h.error.split('\n')[0]}`);
  }
  lines.push('');
  lines.push('Faces:');
  lines.push(
    [
      'model / image'.padEnd(46),
      'found'.padEnd(6),
      'scores'.padEnd(18),
      'first'.padStart(10),
      'median'.padStart(10),
      '  result',
    ].join(' '),
  );
  for (const f of r.faces) {
    lines.push(`${f.model} (created in ${ms(f.createMs)})${f.ok ? '' : '  FAIL'}`);
    for (const i of f.images) {
      lines.push(
        [
          `  ${i.image}`.padEnd(46),
          `${i.facesFound}/${i.facesExpected}`.padEnd(6),
          i.scores
            .map((s) => s.toFixed(2))
            .join(',')
            .padEnd(18),
          ms(i.timing.firstMs).padStart(10),
          ms(i.timing.medianMs).padStart(10),
          `  ${i.ok ? 'PASS' : 'FAIL'}`,
        ].join(' '),
      );
    }
    if (f.error) lines.push(`  error: ${f.error.split('\n')[0]}`);
  }
  lines.push('');
  if (r.blockedRequests.length) {
    lines.push(`blocked requests to other origins (${r.blockedRequests.length}):`);
    [...new Set(r.blockedRequests)].forEach((u) => lines.push(`  ${u}`));
  } else {
    lines.push('no requests to other origins');
  }
  lines.push(`overall: ${r.ok ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const options: VerifyOptions = {};
  let build = true;
  let jsonOut: string | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repeats' && argv[i + 1]) options.repeats = Number(argv[++i]);
    else if (a === '--no-build') build = false;
    else if (a === '--json' && argv[i + 1]) jsonOut = argv[++i];
    else if (a === '--verbose') verbose = true;
    else {
      console.error(
        `usage: node --import tsx models/verify-in-browser.ts [--repeats N] [--no-build] [--json FILE] [--verbose]`,
      );
      return 2;
    }
  }
  const consoleLines: string[] = [];
  options.onConsole = (l) => (verbose ? console.log(l) : consoleLines.push(l));
  if (build) {
    const b = buildModels();
    console.log(b.upToDate ? 'models/dist is up to date' : `built models/dist (${b.written.join(', ')})`);
  }
  const report = await verifyModelsInBrowser(options);
  console.log(formatReport(report));
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
  if (!report.skipped && !report.ok && !verbose && consoleLines.length) {
    console.log('\npage console (last 30 lines):');
    consoleLines.slice(-30).forEach((l) => console.log(`  ${l}`));
  }
  return report.skipped || report.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
