/**
 * End-to-end run of the scenario simulator (tests/eval) on a fixed seed that the thresholds were
 * not tuned on (they were tuned on seed 1). Each recall is asserted at its goal minus two
 * binomial standard errors for the number of labels this run has, so the test fails on a real
 * regression and not on sampling noise:
 *  - noScan, reduction and unpaid against the 95 % target, which they meet (docs/fusion.md);
 *  - missedScan and wrongScan against what they measure pooled over seeds 2–6 (94 % and 66 %),
 *    because they do not meet the target, for the reasons in docs/fusion.md "Known limits".
 */
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../../tests/eval/runSimulation.ts';
import type { NoiseModel } from '../../../tests/eval/noise.ts';
import type { SuspicionType } from './types.ts';

const GOAL: Record<SuspicionType, number> = {
  missedScan: 0.93,
  wrongScan: 0.65,
  noScan: 0.95,
  reduction: 0.95,
  unpaid: 0.95,
};
/** A 1,500-transaction run takes ~1.5 s alone; leave room for a loaded machine. */
const SIM_TIMEOUT_MS = 60_000;
/** Target: at most 1 false alarm per 100 honest transactions. */
const FALSE_ALARM_TARGET = 1;

/** Goal minus two standard errors of a proportion measured on `n` labels. */
function floorFor(goal: number, n: number): number {
  return goal - 2 * Math.sqrt((goal * (1 - goal)) / n);
}

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
  landingZoneUnknownRate: 0,
  landingZoneWrongRate: 0,
};

describe('simulation', () => {
  const options = { transactions: 1500, seed: 7, lanes: 5 };
  const result = runSimulation(options);

  it('covers all five types and plenty of honest transactions', () => {
    for (const n of Object.values(result.labels)) expect(n).toBeGreaterThanOrEqual(40);
    expect(result.honestTransactions).toBeGreaterThan(800);
  });

  it('keeps recall per type at its goal, within the sampling error of this run', () => {
    for (const [type, goal] of Object.entries(GOAL) as [SuspicionType, number][]) {
      expect(result.recall[type], type).toBeGreaterThanOrEqual(floorFor(goal, result.labels[type]));
    }
  });

  it('keeps false alarms at the target, within the sampling error of this run', () => {
    // Poisson: two standard errors of the expected count at the target rate.
    const expected = (FALSE_ALARM_TARGET * result.honestTransactions) / 100;
    expect(result.falseAlarms).toBeLessThanOrEqual(expected + 2 * Math.sqrt(expected));
  });

  it('decides soon after each window closes', () => {
    expect(result.tickLagMsP95).toBeLessThanOrEqual(300);
    expect(result.decisionLatencyMsP50).toBeGreaterThan(0);
  });

  it(
    'is reproducible from its seed',
    () => {
      const again = runSimulation(options);
      expect({ ...again, runtimeMs: 0 }).toEqual({ ...result, runtimeMs: 0 });
    },
    SIM_TIMEOUT_MS,
  );

  it(
    'with a perfect tracker, catches every movement-based event and raises no tracker-driven alarm',
    () => {
      const clean = runSimulation({ ...options, noise: NO_DETECTOR_NOISE });
      expect(clean.recall.noScan).toBe(1);
      expect(clean.recall.reduction).toBe(1);
      expect(clean.recall.unpaid).toBe(1);
      expect(clean.recallByVariant['missedScan/covered']?.recall).toBe(1);
      // Gallery errors (wrong scan) and slow put-backs (reduction) do not depend on the tracker.
      const trackerAlarms = Object.keys(clean.falseAlarmsByRule).filter(
        (rule) => !rule.startsWith('wrongScan.') && !rule.startsWith('reduction.'),
      );
      expect(trackerAlarms).toEqual([]);
    },
    SIM_TIMEOUT_MS,
  );

  it(
    'without a product matcher, wrong scans are rarely caught and no rule alarms more often',
    () => {
      // What a kiosk runs without a chain's GTIN-labelled item detector: packaging text only.
      const textOnly = runSimulation({ ...options, noise: { galleryRate: 0 } });
      expect(textOnly.recall.wrongScan).toBeLessThan(0.2);
      expect(textOnly.falseAlarmsPer100).toBeLessThanOrEqual(FALSE_ALARM_TARGET);
      expect(textOnly.falseAlarmsByRule['wrongScan.appearance'] ?? 0).toBe(0);
    },
    SIM_TIMEOUT_MS,
  );
});
