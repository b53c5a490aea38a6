import { test as base, expect } from './support/fixtures.ts';
import { chromiumArgs } from './support/env.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { HandsInference } from './pages/HandsInference.ts';
import type { LaneZones } from '../../src/core/lane/zones.ts';
import type { PerceptionEvent } from '../../src/core/perception/events.ts';
import { textSimilarity } from '../../src/core/fusion/textSimilarity.ts';
import {
  BRAVO_APPLE_JUICE,
  LABEL_LANE_ZONES,
  OTHER_PRODUCT_NAMES,
  ensureLabelCamera,
  labelCameraMissing,
} from './support/labelCamera.ts';

interface Win {
  laneKiosk: {
    evidence: {
      setZones(z: LaneZones | null): void;
      onPerception(cb: (events: unknown[]) => void): () => void;
    };
  };
  __appearanceSeen: PerceptionEvent[];
}

const labelMissing = labelCameraMissing(BRAVO_APPLE_JUICE);
const labelTest = base.extend<object, { labelCamera: string }>({
  labelCamera: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => use(labelMissing ? '' : ensureLabelCamera(BRAVO_APPLE_JUICE)),
    { scope: 'worker' },
  ],
  launchOptions: [
    async ({ launchOptions, labelCamera }, use) =>
      use(labelCamera ? { ...launchOptions, args: chromiumArgs({ camera: labelCamera }) } : launchOptions),
    { scope: 'worker' },
  ],
});
labelTest.use({ serviceWorkers: 'block' });

/** itemAppearance events whose text is more like the carton's name than any other product's. */
function namedReads(events: readonly PerceptionEvent[]): PerceptionEvent[] {
  return events.filter((e) => {
    if (e.type !== 'itemAppearance' || !e.labelText?.trim()) return false;
    const own = textSimilarity(e.labelText, BRAVO_APPLE_JUICE.name);
    return OTHER_PRODUCT_NAMES.every((other) => own > textSimilarity(e.labelText ?? '', other));
  });
}

/**
 * Live item appearance: with `vision.itemAppearance` on, the worker snapshots a held item in the
 * scanner zone, reads it with PP-OCR in the label reader's own worker, and emits itemAppearance
 * for the tracker's trackId. End to end on an item with legible print: a real hand holding a Bravo apple juice
 * carton (GroceryStoreDataset photo) carried over a plain counter from pick-up through the scanner
 * to bagging (tests/e2e/support/labelCamera.ts). The hand model must find the hand, the tracker
 * must see it holding in the scanner and report the pass with an item, and the label reader must
 * read the carton's name for that track.
 */
labelTest.describe('live item appearance on a legible label', () => {
  labelTest.setTimeout(110_000);
  labelTest.skip(labelMissing !== null, labelMissing ?? '');

  labelTest('reads the carton held through the scanner as its own product name', async ({ page }) => {
    await page.route('**/kiosk-config.json', (route) =>
      route.fulfill({ json: { vision: { itemAppearance: true } } }),
    );
    const kiosk = new KioskPage(page);
    const hands = new HandsInference(page);
    await kiosk.open('AP2');
    await hands.waitRecording();
    await page.evaluate((z) => {
      const w = window as unknown as Win;
      w.__appearanceSeen = [];
      w.laneKiosk.evidence.onPerception((events) =>
        w.__appearanceSeen.push(...(events as PerceptionEvent[])),
      );
      w.laneKiosk.evidence.setZones(z);
    }, LABEL_LANE_ZONES);

    // Done once a read names the product for a passing track, or after three reads that did not.
    const snapshot = async () => ({
      m: await hands.metrics(),
      seen: await page.evaluate(() => (window as unknown as Win).__appearanceSeen),
    });
    let last = await snapshot();
    await expect
      .poll(
        async () => {
          last = await snapshot();
          const a = last.m?.appearance;
          if (!a) return false;
          const done = a.readMs.n === a.reads;
          return (done && namedReads(last.seen).length > 0) || (done && a.reads >= 3);
        },
        { timeout: 90_000, intervals: [500] },
      )
      .toBe(true)
      .catch((err: Error) => {
        throw new Error(`${err.message}\nlast metrics: ${JSON.stringify(last.m)}`, { cause: err });
      });
    const m = last.m!;
    const a = m.appearance!;
    const passes = last.seen.filter((e) => e.type === 'itemPassedScanner' && e.holdingItem);
    const reads = last.seen.filter((e) => e.type === 'itemAppearance');
    console.log(
      `[appearance/label] hands on ${m.framesWithHands} of ${m.framesAnalysed} analysed frames ` +
        `(holding p50 ${m.holding.p50.toFixed(2)}, p95 ${m.holding.p95.toFixed(2)}); ${passes.length} held passes ` +
        `(tracks ${passes.map((e) => ('trackId' in e ? e.trackId : -1)).join(', ')}); ${a.snapshots} snapshots, ` +
        `${a.reads} reads (${a.readsWithText} with text), last crop ${JSON.stringify(a.lastCrop)}, ` +
        `read p50 ${a.readMs.p50.toFixed(0)} ms, load ${a.loadMs} ms; texts: ` +
        JSON.stringify(reads.map((e) => (e.type === 'itemAppearance' ? [e.trackId, e.labelText] : []))),
    );
    expect(a.errors, a.lastError ?? '').toBe(0);
    expect(m.framesWithHands, 'the hand model found the hand').toBeGreaterThan(0);
    expect(passes.length, 'the tracker reported a pass with an item').toBeGreaterThan(0);
    // Only reads with text become events (counted in the same snapshot: no race with the page).
    expect(a.emitted).toBe(a.readsWithText);
    // Every read is for a track the tracker reported passing with an item...
    const passed = new Set(passes.map((e) => ('trackId' in e ? e.trackId : -1)));
    for (const e of reads) if (e.type === 'itemAppearance') expect(passed.has(e.trackId)).toBe(true);
    // ...and at least one names the product: closer to its own name than to any other.
    expect(namedReads(reads), `no read names ${BRAVO_APPLE_JUICE.name}`).not.toHaveLength(0);
  });
});
