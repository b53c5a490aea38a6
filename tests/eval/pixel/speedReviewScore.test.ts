import { describe, expect, it } from 'vitest';
import { loadAnnotations } from './annotations.ts';
import { handsPerMove, liftCoverage, scoreReviewEvents } from './speedReviewScore.ts';

const a = loadAnnotations();

describe('hands per move', () => {
  it('counts runs inside each annotated move, and those that found a hand', () => {
    const m = a.moves[0]!;
    const mid = ((m.startS + m.endS) / 2) * 1000;
    const cov = handsPerMove(a, [
      { tMs: mid, hands: 1, mode: 'active' },
      { tMs: mid + 1, hands: 0, mode: 'active' },
      { tMs: m.endS * 1000 + 5000, hands: 1, mode: 'active' },
    ]);
    expect(cov[0]).toMatchObject({ id: m.id, runs: 2, withHands: 1 });
  });

  it('summarises the lift-outs only, by median and minimum', () => {
    const cov = [
      { id: 'a', kind: 'pickupToBagging', runs: 5, withHands: 4 },
      { id: 'b', kind: 'pickupToBagging', runs: 2, withHands: 1 },
      { id: 'c', kind: 'baggingToPickup', runs: 0, withHands: 0 },
      { id: 'd', kind: 'pickupToBagging', runs: 9, withHands: 9 },
    ];
    expect(liftCoverage(cov)).toEqual({ median: 4, min: 1 });
  });
});

describe('scoreReviewEvents', () => {
  it('with no perception events finds nothing and raises no false alarm', () => {
    const scores = scoreReviewEvents(a, [], Date.UTC(2026, 10, 22, 8));
    expect(scores.length).toBe(Object.keys(a.pos.scenarios).length);
    for (const s of scores) {
      expect(s.detected).toEqual([]);
      expect(s.falseAlarms).toEqual([]);
    }
  });
});
