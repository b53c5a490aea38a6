import { describe, expect, it } from 'vitest';
import { maskRef } from './mask.ts';

describe('maskRef', () => {
  it('shows the last four characters of a long reference behind a fixed-width mask', () => {
    expect(maskRef('6222021234567891234')).toBe('••••1234');
    expect(maskRef('M-000012345678')).toBe('••••5678');
  });

  it('never shows more than a third of the value', () => {
    expect(maskRef('ABCDEFGHIJK')).toBe('••••IJK');
    expect(maskRef('ABCDEFGH')).toBe('••••GH');
    for (let length = 0; length <= 40; length++) {
      const ref = 'x'.repeat(length);
      const shown = maskRef(ref).length - '••••'.length;
      expect(shown).toBeLessThanOrEqual(Math.min(4, length / 3));
    }
  });

  it('masks short references completely', () => {
    for (const ref of ['', '1', '1234', '1234567']) expect(maskRef(ref)).toBe('••••');
  });

  it('hides the length of the reference', () => {
    expect(maskRef('A'.repeat(12))).toHaveLength(maskRef('A'.repeat(64)).length);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(maskRef('会员卡号码😀😀😀😀😀')).toBe('••••😀😀😀');
  });

  it('does not throw on a non-string from untyped callers', () => {
    expect(maskRef(12345678901234 as unknown as string)).toBe('••••');
  });
});
