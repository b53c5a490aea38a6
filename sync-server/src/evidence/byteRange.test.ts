import { describe, expect, it } from 'vitest';
import { parseRange } from './byteRange.ts';

describe('parseRange', () => {
  it('serves the whole clip without a Range header', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(parseRange('', 100)).toEqual({ kind: 'full' });
  });

  it('reads closed, open-ended and suffix ranges, clamping the end to the clip', () => {
    expect(parseRange('bytes=10-19', 100)).toEqual({ kind: 'range', start: 10, end: 19 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'range', start: 90, end: 99 });
    expect(parseRange('bytes=90-500', 100)).toEqual({ kind: 'range', start: 90, end: 99 });
    expect(parseRange('bytes=-30', 100)).toEqual({ kind: 'range', start: 70, end: 99 });
    expect(parseRange('bytes=-300', 100)).toEqual({ kind: 'range', start: 0, end: 99 });
  });

  it('refuses ranges outside the clip, reversed, malformed or multiple', () => {
    for (const h of [
      'bytes=100-',
      'bytes=50-10',
      'bytes=-0',
      'bytes=a-b',
      'items=0-1',
      'bytes=-',
      'bytes=0-1,5-6',
    ]) {
      expect(parseRange(h, 100).kind, h).toBe('unsatisfiable');
    }
    expect(parseRange('bytes=0-', 0).kind).toBe('unsatisfiable');
  });
});
