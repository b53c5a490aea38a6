import { describe, expect, it } from 'vitest';
import { DEFAULT_REVIEW_PROFILE, REVIEW_PROFILES, splitClip, type ReviewProfile } from './reviewProfiles.ts';
import { ReviewGate } from './reviewGate.ts';

describe('review profiles', () => {
  it('every review gate setting is accepted by the gate', () => {
    for (const p of Object.values(REVIEW_PROFILES)) {
      const gate: ReviewProfile['gate'] = p.gate;
      if (gate.kind === 'review') expect(() => new ReviewGate(gate.options)).not.toThrow();
    }
    expect(REVIEW_PROFILES[DEFAULT_REVIEW_PROFILE].name).toBe(DEFAULT_REVIEW_PROFILE);
  });
});

describe('splitClip', () => {
  it('covers the clip once: parts meet at the seams, each later part warmed up before it', () => {
    const parts = splitClip(40_000, 2, 3000);
    expect(parts).toEqual([
      { warmFromMs: 0, fromMs: -Infinity, toMs: 20_000 },
      { warmFromMs: 17_000, fromMs: 20_000, toMs: Infinity },
    ]);
  });

  it('one worker is the whole clip', () => {
    expect(splitClip(1000, 1, 3000)).toEqual([{ warmFromMs: 0, fromMs: -Infinity, toMs: Infinity }]);
  });

  it('rejects a bad worker count or duration', () => {
    expect(() => splitClip(1000, 0, 0)).toThrow(RangeError);
    expect(() => splitClip(0, 2, 0)).toThrow(/duration/);
  });
});
