/**
 * ThingM blink(1) USB RGB LED. Colours are set with the "set colour now" command ('n') in
 * feature report 1.
 *
 * WebHID's sendFeatureReport(reportId, data) adds the report id byte itself, so `data` is the
 * 8 bytes after it: ['n', r, g, b, 0, 0, 0, 0] (fade time, LED index 0 = all LEDs, padding).
 * hidapi-style tools show the same report as 9 bytes with the leading 0x01; sending that 0x01 in
 * `data` would shift the command byte and the device would ignore it.
 *
 * 'n' has no blinking, so the driver flashes by alternating the colour and black on a timer.
 */
import type { LightColor, LightPattern } from '../lightConfig.ts';

export const BLINK1 = { vendorId: 0x27b8, productId: 0x01ed } as const;
export const BLINK1_REPORT_ID = 1;
const SET_NOW = 'n'.charCodeAt(0);

export type Rgb = readonly [r: number, g: number, b: number];

/** Amber has less green than "orange" on paper because the LED's green die dominates. */
export const BLINK1_COLORS: Readonly<Record<LightColor, Rgb>> = {
  off: [0, 0, 0],
  green: [0, 255, 0],
  amber: [255, 100, 0],
  red: [255, 0, 0],
  blue: [0, 0, 255],
  white: [255, 255, 255],
};

/**
 * Half period of the software flash, i.e. how long each of the on/off phases lasts:
 * flash 1 Hz, fastFlash 3 Hz. null = steady, no timer.
 */
export const BLINK1_HALF_PERIOD_MS: Readonly<Record<LightPattern, number | null>> = {
  steady: null,
  flash: 500,
  fastFlash: 167,
};

function byte(value: number): number {
  // Uint8Array would silently wrap 256 to 0 (full red becoming off), so clamp instead.
  return Number.isFinite(value) ? Math.min(255, Math.max(0, Math.round(value))) : 0;
}

export function blink1Report(rgb: Rgb): Uint8Array<ArrayBuffer> {
  const [r, g, b] = rgb;
  return Uint8Array.of(SET_NOW, byte(r), byte(g), byte(b), 0, 0, 0, 0);
}
