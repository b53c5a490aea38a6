import { describe, expect, it } from 'vitest';
import { ctcGreedyDecode, parseKeys } from './ocrCtc.ts';

describe('parseKeys', () => {
  it('puts the blank first and the space last', () => {
    expect(parseKeys('a\nb\r\nc\n').chars).toEqual(['', 'a', 'b', 'c', ' ']);
  });
  it('refuses empty files and empty lines', () => {
    expect(() => parseKeys('')).toThrow(/empty/);
    expect(() => parseKeys('a\n\nb')).toThrow(/line 2/);
  });
});

describe('ctcGreedyDecode', () => {
  const dict = parseKeys('a\nb');
  // classes: 0 blank, 1 a, 2 b, 3 space
  const steps = (ids: number[]): Float32Array => {
    const out = new Float32Array(ids.length * 4).fill(0.05);
    ids.forEach((id, t) => (out[t * 4 + id] = 0.85));
    return out;
  };
  it('merges repeats, drops blanks and keeps repeats separated by a blank', () => {
    const r = ctcGreedyDecode(steps([1, 1, 0, 1, 2, 2, 3, 2]), 8, 4, dict);
    expect(r.text).toBe('aab b');
    expect(r.confidence).toBeCloseTo(0.85, 5);
  });
  it('reads nothing from blanks only', () => {
    expect(ctcGreedyDecode(steps([0, 0]), 2, 4, dict)).toEqual({ text: '', confidence: 0 });
  });
  it('names a keys file that does not fit the model', () => {
    expect(() => ctcGreedyDecode(new Float32Array(10), 2, 5, dict)).toThrow(/wrong keys file/);
  });
});
