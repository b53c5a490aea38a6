import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright';
import type { RecordingHarness } from '../../src/recording/harness/harness.ts';
import type { RecorderConfig } from '../../src/recording/config.ts';
import type { RecorderMetrics } from '../../src/worker/protocol.ts';
import { HARNESS_BASE, buildRecordingHarness, routeRecordingHarness } from '../e2e/support/faceCamera.ts';

/**
 * Recorder figures for docs/recording.md, at the default settings (640x360 VP8, 12 fps, 400 kbit/s,
 * blur on): CPU per stored frame (the browser's processes, from /proc, minus the same page with
 * the camera alone), the split between encoding and face blurring (a pass with blur off), the
 * worker's own timings, and clip bytes per minute. Uses the camera `browser` was launched with.
 */
export interface RecordingFigures {
  seconds: number;
  baselineCpuMsPerSec: number;
  blurOff: PassFigures;
  blurOn: PassFigures;
  /** CPU of detection + blur per stored frame: blurOn minus blurOff. */
  faceBlurCpuMsPerFrame: number;
  clipBytesPerMinute: number;
  clip: { frames: number; byteLength: number; durationMs: number } | null;
  /** What a browser killed mid-transaction loses at most, with checkpoints every checkpointMs. */
  lossOnKill: { ringBytesPerMinute: number; checkpointMs: number; worstCaseUnflushedMs: number };
}

export interface PassFigures {
  cpuMsPerSec: number;
  framesStored: number;
  cpuMsPerStoredFrame: number;
  fpsIn: number;
  fpsOut: number;
  dropped: RecorderMetrics['dropped'];
  encodeLatencyMs: RecorderMetrics['encodeMs'];
  detectMs: RecorderMetrics['detectMs'];
  workerFrameMs: RecorderMetrics['frameMs'];
}

type Win = { recordingHarness: RecordingHarness };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** utime+stime (ms) of every Chromium process under this Node process (Playwright launched them). */
function browserCpuMs(): number {
  const ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const procs = new Map<number, { ppid: number; cpu: number; chromium: boolean }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      procs.set(Number(name), {
        ppid: Number(fields[1]),
        cpu: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks,
        chromium: /chrom/i.test(cmd.split('\0')[0] ?? ''),
      });
    } catch {
      // the process ended while we looked
    }
  }
  const isMine = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 32; hops++) {
      if (p === process.pid) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let total = 0;
  for (const [pid, p] of procs) if (p.chromium && isMine(pid)) total += p.cpu;
  return total;
}

async function pass(page: Page, config: Partial<RecorderConfig>, seconds: number, baseline: number) {
  await page.evaluate((c) => (window as unknown as Win).recordingHarness.startRecorder(c), config);
  await sleep(2000);
  await page.evaluate(() => (window as unknown as Win).recordingHarness.markStart('bench'));
  const m0 = (await page.evaluate(() => (window as unknown as Win).recordingHarness.metrics()))!;
  const c0 = browserCpuMs();
  await sleep(seconds * 1000);
  const c1 = browserCpuMs();
  const m1 = (await page.evaluate(() => (window as unknown as Win).recordingHarness.metrics()))!;
  const clip = await page.evaluate(() => (window as unknown as Win).recordingHarness.markEnd('bench'));
  await page.evaluate(() => (window as unknown as Win).recordingHarness.stop());
  const cpuMsPerSec = (c1 - c0) / seconds - baseline;
  const framesStored = m1.framesEncoded - m0.framesEncoded;
  const figures: PassFigures = {
    cpuMsPerSec,
    framesStored,
    cpuMsPerStoredFrame: (cpuMsPerSec * seconds) / Math.max(1, framesStored),
    fpsIn: m1.fpsIn,
    fpsOut: m1.fpsOut,
    dropped: m1.dropped,
    encodeLatencyMs: m1.encodeMs,
    detectMs: m1.detectMs,
    workerFrameMs: m1.frameMs,
  };
  return { figures, clip, ringBytesPerSec: (m1.ringBytes - m0.ringBytes) / seconds };
}

export async function measureRecording(
  browser: Browser,
  url: string,
  seconds = 15,
): Promise<RecordingFigures> {
  await buildRecordingHarness();
  const context = await browser.newContext();
  try {
    await routeRecordingHarness(context);
    const page = await context.newPage();
    await page.goto(`${url}${HARNESS_BASE}index.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await page.evaluate(() => (window as unknown as Win).recordingHarness.openCamera());
    await sleep(2000);
    const b0 = browserCpuMs();
    await sleep(seconds * 1000);
    const baseline = (browserCpuMs() - b0) / seconds;
    const off = await pass(page, { faceBlur: false }, seconds, baseline);
    const on = await pass(page, {}, seconds, baseline);
    const clip = on.clip;
    const durationMs = clip ? clip.endMs - clip.startMs : 0;
    const checkpointMs = 10_000;
    return {
      seconds,
      baselineCpuMsPerSec: baseline,
      blurOff: off.figures,
      blurOn: on.figures,
      faceBlurCpuMsPerFrame: on.figures.cpuMsPerStoredFrame - off.figures.cpuMsPerStoredFrame,
      clipBytesPerMinute: clip && durationMs > 0 ? (clip.byteLength * 60_000) / durationMs : 0,
      clip: clip ? { frames: clip.frames, byteLength: clip.byteLength, durationMs } : null,
      lossOnKill: {
        ringBytesPerMinute: on.ringBytesPerSec * 60,
        checkpointMs,
        // Checkpoints stop before the newest keyframe (1 s) and leave every checkpointMs.
        worstCaseUnflushedMs: checkpointMs + 1000,
      },
    };
  } finally {
    await context.close();
  }
}
