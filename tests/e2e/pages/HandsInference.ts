import type { Locator, Page } from '@playwright/test';
import type { InferenceMetrics } from '../../../src/worker/protocol.ts';
import { expect } from '../support/fixtures.ts';
import { KioskPage } from './KioskPage.ts';

interface KioskHandle {
  laneKiosk: {
    evidence: {
      watchInference(cb: (m: InferenceMetrics | null) => void): () => void;
      state: { get(): { recorder: { kind: string } } };
    };
  };
}

/** The vision worker's live hand/zone inference, as the kiosk exposes it (maintenance panel + API). */
export class HandsInference {
  readonly panelFacts: Locator;

  constructor(readonly page: Page) {
    this.panelFacts = page.getByTestId('hands-inference');
  }

  /** One snapshot of the worker's inference metrics (null before the worker is up). */
  metrics(): Promise<InferenceMetrics | null> {
    return this.page.evaluate(
      () =>
        new Promise<InferenceMetrics | null>((resolve) => {
          const { evidence } = (window as unknown as KioskHandle).laneKiosk;
          let done = false;
          // The first snapshot arrives asynchronously, after `stop` is assigned.
          const stop = evidence.watchInference((m) => {
            if (done) return;
            done = true;
            stop();
            resolve(m);
          });
        }),
    );
  }

  waitRecording(): Promise<void> {
    return new KioskPage(this.page).waitRecording();
  }

  /** Polls until `check` passes on a snapshot; returns that snapshot. */
  async waitFor(check: (m: InferenceMetrics) => boolean, timeout = 45_000): Promise<InferenceMetrics> {
    let last: InferenceMetrics | null = null;
    try {
      await expect
        .poll(
          async () => {
            last = await this.metrics();
            return last !== null && check(last);
          },
          { timeout, intervals: [500] },
        )
        .toBe(true);
    } catch (err) {
      // What the worker reported last says why (model failed, no frames, no hands...).
      throw new Error(`${(err as Error).message}\nlast inference metrics: ${JSON.stringify(last)}`, {
        cause: err,
      });
    }
    return last!;
  }

  /** Opens the settings panel, where the maintenance facts live. */
  async openPanel(): Promise<void> {
    await this.page.getByRole('button', { name: 'Settings' }).click();
    await expect(this.panelFacts).toBeVisible();
  }

  /**
   * Starts `n` busy Web Workers in the page for `ms`, competing for the CPU with the vision
   * worker (this machine has 2 cores), so the pipeline cannot keep up for a while.
   */
  async loadCpu(n: number, ms: number): Promise<void> {
    await this.page.evaluate(
      ({ n, ms }) => {
        const src = `const end = Date.now() + ${ms}; while (Date.now() < end) {} postMessage('done');`;
        const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
        for (let i = 0; i < n; i++) {
          const w = new Worker(url);
          w.onmessage = () => w.terminate();
        }
      },
      { n, ms },
    );
  }
}
