import { describe, expect, it } from 'vitest';
import { checkGtin, computeCheckDigit, isValidGtin, normalizeGtin } from './gtin.ts';

// Published examples: an EAN-13 widely used in GS1 material, an ISBN-13, a UPC-A, an EAN-8,
// and a GTIN-14 with packaging indicator 1.
const KNOWN_VALID = ['4006381333931', '9780306406157', '036000291452', '96385074', '10012345678902'];

describe('computeCheckDigit', () => {
  it('reproduces the check digit of published codes', () => {
    for (const code of KNOWN_VALID) {
      expect(computeCheckDigit(code.slice(0, -1)), code).toBe(Number(code.slice(-1)));
    }
  });

  it('weights from the right, so a Chinese EAN-13 body gets the hand-computed digit', () => {
    // 690123456789: 9*3 + 8 + 7*3 + 6 + 5*3 + 4 + 3*3 + 2 + 1*3 + 0 + 9*3 + 6 = 128 -> 2
    expect(computeCheckDigit('690123456789')).toBe(2);
  });

  it('gives 0 when the weighted sum is already a multiple of ten', () => {
    expect(computeCheckDigit('0000000000000')).toBe(0);
    expect(computeCheckDigit('5000000000005')).toBe(0); // 5*3 + 5*3 = 30
  });

  it('rejects non-digits', () => {
    expect(() => computeCheckDigit('12a4')).toThrow(RangeError);
    expect(() => computeCheckDigit('')).toThrow(RangeError);
  });
});

describe('isValidGtin / checkGtin', () => {
  it('accepts the published codes and a computed Chinese one', () => {
    for (const code of [...KNOWN_VALID, '6901234567892']) expect(isValidGtin(code), code).toBe(true);
  });

  it('reports the expected and actual check digit on a mismatch', () => {
    expect(checkGtin('4006381333932')).toEqual({
      ok: false,
      reason: 'check digit mismatch: expected 1, got 2',
    });
  });

  it('catches every single-digit substitution in an EAN-13', () => {
    const code = '4006381333931';
    for (let pos = 0; pos < code.length; pos++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === code[pos]) continue;
        const mutated = code.slice(0, pos) + String(d) + code.slice(pos + 1);
        expect(isValidGtin(mutated), mutated).toBe(false);
      }
    }
  });

  it('rejects unsupported lengths and non-digits with a reason', () => {
    expect(checkGtin('1234567')).toEqual({
      ok: false,
      reason: 'not a GTIN: 7 digits (expected 8, 12, 13 or 14)',
    });
    expect(checkGtin('40063813339X1').ok).toBe(false);
    expect(isValidGtin(' 4006381333931')).toBe(false);
    expect(isValidGtin('')).toBe(false);
  });
});

describe('normalizeGtin', () => {
  it('pads every length to 14 digits', () => {
    expect(normalizeGtin('96385074')).toBe('00000096385074');
    expect(normalizeGtin('036000291452')).toBe('00036000291452');
    expect(normalizeGtin('4006381333931')).toBe('04006381333931');
    expect(normalizeGtin('10012345678902')).toBe('10012345678902');
  });

  it('makes a UPC-A and its EAN-13 spelling compare equal', () => {
    expect(normalizeGtin('036000291452')).toBe(normalizeGtin('0036000291452'));
  });

  it('trims whitespace a scanner or paste may add', () => {
    expect(normalizeGtin(' 6901234567892\n')).toBe('06901234567892');
  });

  it('returns null for anything that is not a valid GTIN', () => {
    expect(normalizeGtin('6901234567891')).toBeNull();
    expect(normalizeGtin('hello')).toBeNull();
  });
});
