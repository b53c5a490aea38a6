import { describe, expect, it } from 'vitest';
import { BLINK1_COLORS, BLINK1_HALF_PERIOD_MS, BLINK1_REPORT_ID, blink1Report } from './blink1.ts';

describe('blink1Report', () => {
  it("is the 8 data bytes after report id 1: 'n', r, g, b, then zeros", () => {
    expect(BLINK1_REPORT_ID).toBe(1);
    expect([...blink1Report([0x12, 0x34, 0x56])]).toEqual([0x6e, 0x12, 0x34, 0x56, 0, 0, 0, 0]);
  });

  it.each([
    ['off', [0x6e, 0, 0, 0, 0, 0, 0, 0]],
    ['green', [0x6e, 0, 255, 0, 0, 0, 0, 0]],
    ['amber', [0x6e, 255, 100, 0, 0, 0, 0, 0]],
    ['red', [0x6e, 255, 0, 0, 0, 0, 0, 0]],
    ['blue', [0x6e, 0, 0, 255, 0, 0, 0, 0]],
    ['white', [0x6e, 255, 255, 255, 0, 0, 0, 0]],
  ] as const)('%s', (color, bytes) => {
    expect([...blink1Report(BLINK1_COLORS[color])]).toEqual(bytes);
  });

  it('clamps out-of-range channels instead of wrapping', () => {
    expect([...blink1Report([256, -3, Number.NaN])].slice(1, 4)).toEqual([255, 0, 0]);
    expect([...blink1Report([12.6, 0, 0])][1]).toBe(13);
  });

  it('flashes at 1 Hz and 3 Hz', () => {
    expect(BLINK1_HALF_PERIOD_MS.steady).toBeNull();
    expect(BLINK1_HALF_PERIOD_MS.flash).toBe(500);
    expect(BLINK1_HALF_PERIOD_MS.fastFlash).toBe(167);
  });
});
