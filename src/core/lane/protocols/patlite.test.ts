import { describe, expect, it } from 'vitest';
import { DEFAULT_LIGHT_CONFIG } from '../lightConfig.ts';
import { PATLITE_REPORT_ID, patliteReport, patliteTiers } from './patlite.ts';

// Pure helper: core tests avoid Node's Buffer like the code under test does.
const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

describe('patliteReport', () => {
  it('is 8 bytes for report id 0', () => {
    expect(PATLITE_REPORT_ID).toBe(0);
    expect(patliteReport({ color: 'red', pattern: 'steady' })).toHaveLength(8);
  });

  it.each([
    ['off', 'steady', '0000000000000000'],
    ['red', 'steady', '0000000010000000'],
    ['red', 'flash', '0000000020000000'],
    ['red', 'fastFlash', '0000000030000000'],
    ['amber', 'steady', '0000000001000000'],
    ['amber', 'flash', '0000000002000000'],
    ['green', 'steady', '0000000000100000'],
    ['green', 'fastFlash', '0000000000300000'],
    // No blue or white tier on a 3-tier tower: red + amber together, never green.
    ['blue', 'steady', '0000000011000000'],
    ['white', 'flash', '0000000022000000'],
  ] as const)('%s %s → %s', (color, pattern, expected) => {
    expect(hex(patliteReport({ color, pattern }))).toBe(expected);
  });

  it('uses the blue and white tiers when the tower has them', () => {
    const tiers = { blue: true, white: true };
    expect(hex(patliteReport({ color: 'blue', pattern: 'steady' }, tiers))).toBe('0000000000010000');
    expect(hex(patliteReport({ color: 'blue', pattern: 'flash' }, tiers))).toBe('0000000000020000');
    expect(hex(patliteReport({ color: 'white', pattern: 'fastFlash' }, tiers))).toBe('0000000000003000');
  });

  it('encodes every default state without the buzzer and without green for warnings', () => {
    expect(hex(patliteReport(DEFAULT_LIGHT_CONFIG.locked))).toBe('0000000030000000');
    expect(hex(patliteReport(DEFAULT_LIGHT_CONFIG.paymentFailed))).toBe('0000000002000000');
    for (const output of Object.values(DEFAULT_LIGHT_CONFIG)) {
      expect(patliteReport(output)[2]).toBe(0);
    }
  });

  it('falls back to tiers other than green for colours the tower lacks', () => {
    expect(patliteTiers('blue')).toEqual(['red', 'amber']);
    expect(patliteTiers('white')).toEqual(['red', 'amber']);
    expect(patliteTiers('off')).toEqual([]);
  });
});
