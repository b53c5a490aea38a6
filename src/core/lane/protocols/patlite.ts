/**
 * Patlite LR6-USB signal tower, driven by an 8-byte HID output report sent with report id 0
 * (the device does not number its reports). Layout, one nibble per field:
 *
 *   byte 0  command version, 0x00
 *   byte 1  command id, 0x00
 *   byte 2  buzzer pattern in the low nibble (0 = off); the lane light never sounds the buzzer,
 *           the kiosk's own voice prompts do that job
 *   byte 3  buzzer tones a/b (0 = none)
 *   byte 4  red << 4 | amber
 *   byte 5  green << 4 | blue (blue tier only on 5-tier models)
 *   byte 6  clear/white << 4 (clear tier only on 5-tier models)
 *   byte 7  0x00
 *
 * Tier nibble: 0 off, 1 steady, 2–5 the device's blink patterns. We use 2 for "flash" and 3 for
 * "fastFlash", the slowest two, which read as "needs attention" and "urgent" on the tower.
 * Every report sets every tier, so the tower never keeps a tier lit from an earlier state.
 */
import type { LightColor, LightOutput, LightPattern } from '../lightConfig.ts';

export const PATLITE_LR6_USB = { vendorId: 0x191a, productId: 0x8003 } as const;
export const PATLITE_REPORT_ID = 0;

export const PATLITE_PATTERN_NIBBLE: Readonly<Record<LightPattern, number>> = {
  steady: 1,
  flash: 2,
  fastFlash: 3,
};

/** Optional tiers fitted on the tower; the common model has only red, amber and green. */
export interface PatliteTiers {
  blue: boolean;
  white: boolean;
}

export const THREE_TIER: Readonly<PatliteTiers> = { blue: false, white: false };

type Tier = 'red' | 'amber' | 'green' | 'blue' | 'white';

/**
 * Which tiers show a colour. Blue and white without their own tier light red + amber together:
 * that pair is used by no default state so it stays recognisable, and a colour the tower cannot
 * show must never fall back to green, which guides read as "all fine".
 */
export function patliteTiers(color: LightColor, tiers: Readonly<PatliteTiers> = THREE_TIER): readonly Tier[] {
  switch (color) {
    case 'off':
      return [];
    case 'red':
    case 'amber':
    case 'green':
      return [color];
    case 'blue':
      return tiers.blue ? ['blue'] : ['red', 'amber'];
    case 'white':
      return tiers.white ? ['white'] : ['red', 'amber'];
  }
}

export function patliteReport(
  output: LightOutput,
  tiers: Readonly<PatliteTiers> = THREE_TIER,
): Uint8Array<ArrayBuffer> {
  const lit = new Set(patliteTiers(output.color, tiers));
  const nibble = PATLITE_PATTERN_NIBBLE[output.pattern];
  const n = (tier: Tier): number => (lit.has(tier) ? nibble : 0);
  const report = new Uint8Array(8);
  report[4] = (n('red') << 4) | n('amber');
  report[5] = (n('green') << 4) | n('blue');
  report[6] = n('white') << 4;
  return report;
}
