import { describe, expect, it } from 'vitest';
import { DEFAULT_LIGHT_CONFIG, LIGHT_COLORS, LIGHT_PATTERNS } from '../lightConfig.ts';
import { lynxFrame } from './lynx.ts';

// Pure helper: core tests avoid Node's Buffer like the code under test does.
const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

describe('lynxFrame', () => {
  it.each([
    ['off', 'steady', '5904fffb'],
    ['off', 'flash', '5904fffb'],
    ['red', 'steady', '5904de86'],
    ['red', 'flash', '5904dd64'],
    ['red', 'fastFlash', '5904dd64'],
    ['green', 'steady', '5904fea5'],
    ['green', 'flash', '5904fd47'],
    ['green', 'fastFlash', '5904fd47'],
    ['blue', 'steady', '5904ee38'],
    ['blue', 'flash', '5904ee38'],
    // Fallbacks: no amber or white lamp.
    ['amber', 'steady', '5904de86'],
    ['amber', 'flash', '5904dd64'],
    ['white', 'steady', '5904de86'],
    ['white', 'fastFlash', '5904dd64'],
  ] as const)('%s %s → %s', (color, pattern, expected) => {
    expect(hex(lynxFrame({ color, pattern }))).toBe(expected);
  });

  it('never shows green for a colour that is not green', () => {
    const green = new Set(['5904fea5', '5904fd47']);
    for (const color of LIGHT_COLORS.filter((c) => c !== 'green')) {
      for (const pattern of LIGHT_PATTERNS) {
        expect(green.has(hex(lynxFrame({ color, pattern })))).toBe(false);
      }
    }
  });

  it('encodes the default warning states as red', () => {
    expect(hex(lynxFrame(DEFAULT_LIGHT_CONFIG.paymentFailed))).toBe('5904dd64');
    expect(hex(lynxFrame(DEFAULT_LIGHT_CONFIG.awaitingConfirmation))).toBe('5904de86');
    expect(hex(lynxFrame(DEFAULT_LIGHT_CONFIG.offline))).toBe('5904ee38');
  });
});
