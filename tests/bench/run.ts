import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright';
import { startServer } from './serverProcess.ts';
import { measurePromptLatency, BENCH_POS_TOKEN } from './promptLatency.ts';
import { measureColdStart } from './coldStart.ts';
import { chromiumArgs, CAMERA_Y4M } from '../e2e/support/env.ts';
import globalSetup from '../e2e/support/globalSetup.ts';
import { measureIngest } from './ingestBench.ts';
import { measureRecording } from './recordingBench.ts';
import { measureLiveInference } from './liveInference.ts';

/** `npm run bench`: figures for the README, printed as a table and as one JSON line at the end. */
if (!fs.existsSync(path.resolve('dist/index.html'))) {
  console.error('Build the kiosk first: npm run build');
  process.exit(1);
}
globalSetup();
const server = await startServer(8798, { POS_TOKEN: BENCH_POS_TOKEN, DEMO: '1' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: chromiumArgs({ camera: CAMERA_Y4M }),
});
try {
  const latency = await measurePromptLatency(browser, server.url, Number(process.env.BENCH_RUNS ?? 100));
  const start = await measureColdStart(browser, server.url);
  const ingest = await measureIngest(server);
  const recording = process.env.BENCH_SKIP_RECORDING ? null : await measureRecording(browser, server.url);
  const live = await measureLiveInference(server.url);
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
  console.log(
    `server ingest: ${ingest.lanes} lanes x ${ingest.recordsPerLane} records with ${ingest.clipBytes / 1024} KiB clips in ` +
      `${ingest.seconds.toFixed(1)} s = ${ingest.recordsPerSecond.toFixed(1)} records/s, ${ingest.clipMBPerSecond.toFixed(1)} MB/s of clips; ` +
      `server peak RSS ${ingest.serverPeakRssMB.toFixed(0)} MB`,
  );
  if (recording) {
    console.log(
      `recorder (640x360 VP8 12 fps): ${recording.blurOn.cpuMsPerStoredFrame.toFixed(1)} ms CPU per stored frame with face blur, ` +
        `${recording.blurOff.cpuMsPerStoredFrame.toFixed(1)} ms without; clip ${(recording.clipBytesPerMinute / 1e6).toFixed(2)} MB per minute`,
    );
  }
  if (live) {
    console.log(
      `live inference (kiosk recording + hands, ${live.backend}): ${live.analysedFps.toFixed(1)} analysed frames/s ` +
        `(${(live.analysedShare * 100).toFixed(0)} % of ${live.framesSeen} stored frames, target >= 10/s: ` +
        `${(live.analysedFps / 10).toFixed(2)}x), hand model p50 ${live.handsMs.p50.toFixed(0)} ms, capture to result ` +
        `p50 ${live.latencyMs.p50.toFixed(0)} / p95 ${live.latencyMs.p95.toFixed(0)} ms, dropped ${live.dropped.rate} by rate, ${live.dropped.busy} busy`,
    );
  } else console.log('live inference: skipped (needs ../shared/media)');
  console.log(
    JSON.stringify({
      live,
      promptLatencyMs: latency,
      coldStartMs: start.cold,
      warmStartMs: start.warm,
      ingest,
      recording,
    }),
  );
} finally {
  await browser.close();
  await server.stop();
}
