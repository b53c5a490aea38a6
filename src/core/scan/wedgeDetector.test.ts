import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.ts';
import type { WedgeResult } from './wedgeDetector.ts';
import { DEFAULT_WEDGE_OPTIONS, WedgeDetector } from './wedgeDetector.ts';

/** Deterministic PRNG so jittered timings are reproducible. */
const rng = mulberry32;

type Stroke = { key: string; at: number };

/** Keys with gaps drawn uniformly from [minGap, maxGap], starting at `from`. */
function strokes(
  keys: readonly string[],
  from: number,
  minGap: number,
  maxGap: number,
  rand: () => number,
): Stroke[] {
  let at = from;
  return keys.map((key, i) => {
    if (i > 0) at += minGap + rand() * (maxGap - minGap);
    return { key, at };
  });
}

/** Feeds the strokes, then lets the line go quiet, and returns everything reported. */
function run(detector: WedgeDetector, input: readonly Stroke[]): WedgeResult[] {
  const out: WedgeResult[] = [];
  for (const s of input) {
    const r = detector.key(s.key, s.at);
    if (r) out.push(r);
  }
  const last = input.at(-1)?.at ?? 0;
  const tail = detector.flush(last + 10_000);
  if (tail) out.push(tail);
  return out;
}

const scans = (results: readonly WedgeResult[]): string[] =>
  results.flatMap((r) => (r.kind === 'scan' ? [r.code] : []));
const allText = (results: readonly WedgeResult[]): string =>
  results.map((r) => (r.kind === 'scan' ? r.code : r.text)).join('');

const EAN = '6901234567892';
const chars = (text: string): string[] => [...text];

describe('WedgeDetector defaults', () => {
  it('are the documented ones', () => {
    expect(DEFAULT_WEDGE_OPTIONS).toEqual({
      maxInterKeyMs: 50,
      minLength: 6,
      terminators: ['Enter', 'Tab'],
      endTimeoutMs: 100,
    });
    expect(new WedgeDetector().options).toEqual(DEFAULT_WEDGE_OPTIONS);
  });
});

describe('scanner input', () => {
  it('is a scan at 5-25 ms per character with Enter, across 200 jitter patterns', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = rng(seed);
      const input = strokes([...chars(EAN), 'Enter'], 1000, 5, 25, rand);
      const results = run(new WedgeDetector(), input);
      const enterAt = input.at(-1)?.at ?? NaN;
      expect(results, `seed ${seed}`).toEqual([{ kind: 'scan', code: EAN, durationMs: enterAt - 1000 }]);
    }
  });

  it('is a scan with Tab as the suffix too', () => {
    const results = run(new WedgeDetector(), strokes([...chars('96385074'), 'Tab'], 0, 10, 10, rng(1)));
    expect(results).toEqual([{ kind: 'scan', code: '96385074', durationMs: 80 }]);
  });

  it('survives a single 70 ms hiccup in the middle of a scan', () => {
    const input = strokes([...chars(EAN), 'Enter'], 0, 15, 15, rng(1));
    for (const s of input.slice(7)) s.at += 55;
    expect(scans(run(new WedgeDetector(), input))).toEqual([EAN]);
  });

  it('keeps the first character when the scanner pauses after it', () => {
    const input = strokes([...chars(EAN), 'Enter'], 5000, 10, 10, rng(1));
    for (const s of input.slice(1)) s.at += 60;
    expect(scans(run(new WedgeDetector(), input))).toEqual([EAN]);
  });

  it('completes on silence when the scanner sends no suffix', () => {
    const detector = new WedgeDetector();
    const input = strokes(chars(EAN), 0, 12, 12, rng(1)); // last key at 144 ms
    for (const s of input) expect(detector.key(s.key, s.at)).toBeNull();
    expect(detector.flush(200)).toBeNull(); // only 56 ms of silence so far
    expect(detector.pending).toBe(EAN);
    expect(detector.flush(244)).toEqual({ kind: 'scan', code: EAN, durationMs: 144 });
    expect(detector.pending).toBe('');
  });

  it('separates two scans without suffix that follow each other', () => {
    const first = strokes(chars(EAN), 0, 10, 20, rng(3));
    const second = strokes(chars('4006381333931'), 600, 10, 20, rng(4));
    expect(scans(run(new WedgeDetector(), [...first, ...second]))).toEqual([EAN, '4006381333931']);
  });

  it('ends a burst by silence when the suffix arrives late, leaving the suffix out of the timing', () => {
    const input = strokes(chars(EAN), 0, 10, 10, rng(1)); // last key at 120 ms
    input.push({ key: 'Enter', at: 400 });
    expect(run(new WedgeDetector(), input)).toEqual([{ kind: 'scan', code: EAN, durationMs: 120 }]);
  });
});

describe('human typing', () => {
  it('is never a scan when someone types "hello world" slowly', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const input = strokes([...chars('hello world'), 'Enter'], 0, 150, 400, rng(seed));
      const results = run(new WedgeDetector(), input);
      expect(scans(results), `seed ${seed}`).toEqual([]);
      expect(allText(results)).toBe('hello world');
    }
  });

  it('is never a scan from a fast typist at about 120 ms per key, even typing a barcode', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const input = strokes([...chars(EAN), 'Enter'], 0, 90, 150, rng(seed));
      const results = run(new WedgeDetector(), input);
      expect(scans(results), `seed ${seed}`).toEqual([]);
      expect(allText(results)).toBe(EAN);
    }
  });

  it('is never a scan from a very fast typist at 60-95 ms per key', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const input = strokes([...chars('1234567890'), 'Enter'], 0, 60, 95, rng(seed));
      expect(scans(run(new WedgeDetector(), input)), `seed ${seed}`).toEqual([]);
    }
  });

  it('treats a fast burst shorter than minLength as typing', () => {
    const results = run(new WedgeDetector(), strokes([...chars('12345'), 'Enter'], 0, 10, 10, rng(1)));
    expect(results).toEqual([{ kind: 'typing', text: '12345' }]);
  });
});

describe('mixed input', () => {
  it('keeps keys typed just before a scan out of the code', () => {
    const typed = strokes(chars('abc'), 0, 80, 80, rng(1)); // a at 0, b at 80, c at 160
    const scanned = strokes([...chars(EAN), 'Enter'], 240, 8, 20, rng(2));
    const results = run(new WedgeDetector(), [...typed, ...scanned]);
    expect(scans(results)).toEqual([EAN]);
    expect(allText(results)).toBe(`abc${EAN}`);
  });

  it('reports every character exactly once, in order, for random mixes of typing and scans', () => {
    const rand = rng(42);
    for (let round = 0; round < 30; round++) {
      const input: Stroke[] = [];
      const expectedScans: string[] = [];
      let expectedText = '';
      let at = 0;
      for (let part = 0; part < 6; part++) {
        at += 300 + rand() * 500;
        if (rand() < 0.5) {
          const code = String(Math.floor(rand() * 1e12)).padStart(12, '0');
          input.push(...strokes([...chars(code), 'Enter'], at, 5, 25, rand));
          expectedScans.push(code);
          expectedText += code;
        } else {
          const word = 'checkout'.slice(0, 2 + Math.floor(rand() * 6));
          input.push(...strokes(chars(word), at, 110, 300, rand));
          expectedText += word;
        }
        at = input.at(-1)?.at ?? at;
      }
      const results = run(new WedgeDetector(), input);
      expect(scans(results), `round ${round}`).toEqual(expectedScans);
      expect(allText(results), `round ${round}`).toBe(expectedText);
    }
  });
});

describe('edge cases', () => {
  it('ignores keys that are neither characters nor terminators', () => {
    const detector = new WedgeDetector();
    const input = strokes([...chars('ABC123'), 'Enter'], 0, 10, 10, rng(1));
    const results: WedgeResult[] = [];
    for (const s of input) {
      expect(detector.key('Shift', s.at - 1)).toBeNull();
      const r = detector.key(s.key, s.at);
      if (r) results.push(r);
    }
    expect(results).toEqual([{ kind: 'scan', code: 'ABC123', durationMs: 60 }]);
  });

  it('reports nothing for a terminator on its own', () => {
    const detector = new WedgeDetector();
    expect(detector.key('Enter', 0)).toBeNull();
    expect(detector.flush(1000)).toBeNull();
  });

  it('drops the pending burst on cancel', () => {
    const detector = new WedgeDetector();
    detector.key('1', 0);
    detector.key('1', 30);
    detector.cancel();
    expect(detector.pending).toBe('');
    expect(detector.key('Enter', 60)).toBeNull();
  });

  it('never reports a negative duration when timestamps step backwards', () => {
    const detector = new WedgeDetector();
    chars(EAN).forEach((key, i) => detector.key(key, 1000 - i));
    expect(detector.key('Enter', 900)).toEqual({ kind: 'scan', code: EAN, durationMs: 0 });
  });

  it('honours custom options', () => {
    const strict = new WedgeDetector({ maxInterKeyMs: 30, terminators: ['#'], minLength: 8 });
    const at40 = strokes([...chars(EAN), '#'], 0, 40, 40, rng(1));
    const slow = run(strict, at40);
    expect(scans(slow)).toEqual([]);
    expect(allText(slow)).toBe(EAN);
    const at20 = strokes([...chars(EAN), '#'], 0, 20, 20, rng(1));
    expect(scans(run(strict, at20))).toEqual([EAN]);
    const short = strokes([...chars('1234567'), '#'], 0, 10, 10, rng(1));
    expect(scans(run(strict, short))).toEqual([]);
  });
});
