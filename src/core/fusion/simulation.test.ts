/**
 * Small end-to-end run of the scenario simulator (tests/eval). The floors sit below what the
 * full 5,000-transaction run measures (docs/fusion.md) by a margin for the smaller sample; they
 * catch regressions, they are not the targets.
 */
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../../tests/eval/runSimulation.ts';
import type { NoiseModel } from '../../../tests/eval/noise.ts';

const FLOOR = { missedScan: 0.8, wrongScan: 0.15, noScan: 0.85, reduction: 0.9, unpaid: 0.85 } as const;

const NO_DETECTOR_NOISE: Partial<NoiseModel> = {
  moveMissRate: 0,
  placeMissRate: 0,
  removalMissRate: 0,
  passMissRate: 0,
  motionMissRate: 0,
  holdingItemFalseRate: 0,
  viaScannerFlipRate: 0,
  idSwitchRate: 0,
  nonItemMissRate: 0,
  outsideZoneMissRate: 0,
  shopperLeftMissRate: 0,
  spuriousPerTxn: 0,
  honestMiscountRate: 0,
};

describe('simulation', () => {
  const result = runSimulation({ transactions: 400, seed: 7, lanes: 4 });

  it('covers all five types and plenty of honest transactions', () => {
    for (const n of Object.values(result.labels)) expect(n).toBeGreaterThanOrEqual(15);
    expect(result.honestTransactions).toBeGreaterThan(200);
  });

  it('keeps recall per type above the regression floors under the default noise', () => {
    for (const [type, floor] of Object.entries(FLOOR)) {
      expect(result.recall[type as keyof typeof FLOOR], type).toBeGreaterThanOrEqual(floor);
    }
  });

  it('keeps false alarms at or below 3 per 100 honest transactions', () => {
    expect(result.falseAlarmsPer100).toBeLessThanOrEqual(3);
  });

  it('decides soon after each window closes', () => {
    expect(result.tickLagMsP95).toBeLessThanOrEqual(300);
    expect(result.decisionLatencyMsP50).toBeGreaterThan(0);
  });

  it('is reproducible from its seed', () => {
    const again = runSimulation({ transactions: 400, seed: 7, lanes: 4 });
    expect({ ...again, runtimeMs: 0 }).toEqual({ ...result, runtimeMs: 0 });
  });

  it('with a perfect tracker, catches every movement-based event and raises no tracker-driven alarm', () => {
    const clean = runSimulation({ transactions: 400, seed: 7, lanes: 4, noise: NO_DETECTOR_NOISE });
    expect(clean.recall.noScan).toBe(1);
    expect(clean.recall.reduction).toBe(1);
    expect(clean.recall.unpaid).toBe(1);
    expect(clean.recallByVariant['missedScan/covered']?.recall).toBe(1);
    // Gallery errors (wrong scan) and slow put-backs (reduction) do not depend on the tracker.
    const trackerAlarms = Object.keys(clean.falseAlarmsByRule).filter(
      (rule) => !rule.startsWith('wrongScan.') && !rule.startsWith('reduction.'),
    );
    expect(trackerAlarms).toEqual([]);
  });
});
