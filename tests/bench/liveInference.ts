import fs from 'node:fs';
import { chromium } from 'playwright';
import type { InferenceMetrics } from '../../src/worker/protocol.ts';
import type { LaneZones } from '../../src/core/lane/zones.ts';
import { chromiumArgs, hasRealMedia } from '../e2e/support/env.ts';
import { ensureHandsCamera } from '../e2e/support/handsCamera.ts';

export interface LiveInferenceFigures {
  seconds: number;
  /** Frames the hand model ran on per second, and the share of stored frames it ran on. */
  analysedFps: number;
  analysedShare: number;
  framesSeen: number;
  framesWithHands: number;
  latencyMs: InferenceMetrics['latencyMs'];
  handsMs: InferenceMetrics['handsMs'];
  frameMs: InferenceMetrics['frameMs'];
  dropped: InferenceMetrics['dropped'];
  backend: string;
  errors: number;
}

type Win = {
  laneKiosk: {
    evidence: {
      setZones(z: LaneZones | null): void;
      watchInference(cb: (m: InferenceMetrics | null) => void): () => void;
      state: { get(): { recorder: { kind: string } } };
    };
  };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The live lane as it runs: the kiosk page with recording (face blur, VP8) and perception on, the
 * fake camera showing a hand moving bottles, zones from the annotated bottle view. Reads the
 * worker's own metrics after a warm-up; analysed fps is what the >= 10 fps target is about.
 */
export async function measureLiveInference(url: string, seconds = 20): Promise<LiveInferenceFigures | null> {
  if (!hasRealMedia()) return null;
  const annotations = JSON.parse(
    fs.readFileSync('tests/eval/pixel/intel_bottle.annotations.json', 'utf8'),
  ) as { zones: LaneZones };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs({ camera: ensureHandsCamera() }),
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/?lane=BENCH-LIVE`);
    await page.waitForFunction(
      () => (window as unknown as Win).laneKiosk?.evidence.state.get().recorder.kind === 'recording',
      undefined,
      { timeout: 60_000 },
    );
    await page.evaluate((z) => (window as unknown as Win).laneKiosk.evidence.setZones(z), annotations.zones);
    const snapshot = () =>
      page.evaluate(
        () =>
          new Promise<InferenceMetrics | null>((resolve) => {
            let done = false;
            const stop = (window as unknown as Win).laneKiosk.evidence.watchInference((m) => {
              if (done) return;
              done = true;
              queueMicrotask(() => stop());
              resolve(m);
            });
          }),
      );
    await sleep(8000); // model load and warm-up
    const m0 = await snapshot();
    await sleep(seconds * 1000);
    const m1 = await snapshot();
    if (!m0 || !m1) return null;
    const analysed = m1.framesAnalysed - m0.framesAnalysed;
    const seen = m1.framesSeen - m0.framesSeen;
    return {
      seconds,
      analysedFps: analysed / seconds,
      analysedShare: seen > 0 ? analysed / seen : 0,
      framesSeen: seen,
      framesWithHands: m1.framesWithHands - m0.framesWithHands,
      latencyMs: m1.latencyMs,
      handsMs: m1.handsMs,
      frameMs: m1.frameMs,
      dropped: { rate: m1.dropped.rate - m0.dropped.rate, busy: m1.dropped.busy - m0.dropped.busy },
      backend: m1.backend,
      errors: m1.errors,
    };
  } finally {
    await browser.close();
  }
}
