import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright';
import { startServer } from './serverProcess.ts';
import { measurePromptLatency, BENCH_POS_TOKEN } from './promptLatency.ts';
import { measureColdStart } from './coldStart.ts';
import { chromiumArgs, CAMERA_Y4M } from '../e2e/support/env.ts';
import globalSetup from '../e2e/support/globalSetup.ts';

/** `npm run bench`: figures for the README, printed as a table and as one JSON line at the end. */
if (!fs.existsSync(path.resolve('dist/index.html'))) {
  console.error('Build the kiosk first: npm run build');
  process.exit(1);
}
globalSetup();
const server = await startServer(8798, { POS_TOKEN: BENCH_POS_TOKEN });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: chromiumArgs({ camera: CAMERA_Y4M }),
});
try {
  const latency = await measurePromptLatency(browser, server.url, Number(process.env.BENCH_RUNS ?? 100));
  const start = await measureColdStart(browser, server.url);
  const fmt = (n: number) => n.toFixed(1).padStart(8);
  console.log('\nLane companion benchmarks (headless Chromium, this machine)');
  console.log('figure                                   n      p50      p95      min      max  (ms)');
  const row = (name: string, s: { n: number; p50: number; p95: number; min: number; max: number }) =>
    console.log(
      `${name.padEnd(38)} ${String(s.n).padStart(3)} ${fmt(s.p50)} ${fmt(s.p95)} ${fmt(s.min)} ${fmt(s.max)}`,
    );
  row('relay POST -> alertdialog visible', latency);
  row('cold start -> first camera frame', start.cold);
  row('warm start (SW) -> first camera frame', start.warm);
  console.log(`p95 prompt latency vs 150 ms target: ${(latency.p95 / 150).toFixed(2)}x of budget`);
  console.log(JSON.stringify({ promptLatencyMs: latency, coldStartMs: start.cold, warmStartMs: start.warm }));
} finally {
  await browser.close();
  await server.stop();
}
