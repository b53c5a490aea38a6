/**
 * LYNX serial lane light: one 4-byte frame per command, `0x59 0x04 xx yy`. It knows only a few
 * fixed looks (below), so richer outputs fall back:
 *
 * - amber and white → red (steady, or red flashing for either flash pattern). The lamp has no
 *   amber or white, and a colour it cannot show must never become green, which guides read as
 *   "all fine"; a needless walk costs less than a missed call.
 * - fastFlash → the one flashing frame the lamp has, so "locked" and "assistance requested" look
 *   the same here; both send a guide.
 * - blue has no flashing frame and stays steady.
 */
import type { LightOutput } from '../lightConfig.ts';

export const LYNX_FRAMES = {
  OFF: [0x59, 0x04, 0xff, 0xfb],
  RED: [0x59, 0x04, 0xde, 0x86],
  RED_FLASHING: [0x59, 0x04, 0xdd, 0x64],
  GREEN: [0x59, 0x04, 0xfe, 0xa5],
  GREEN_FLASHING: [0x59, 0x04, 0xfd, 0x47],
  BLUE: [0x59, 0x04, 0xee, 0x38],
} as const;

export type LynxLook = keyof typeof LYNX_FRAMES;

export function lynxLook(output: LightOutput): LynxLook {
  const flashing = output.pattern !== 'steady';
  switch (output.color) {
    case 'off':
      return 'OFF';
    case 'green':
      return flashing ? 'GREEN_FLASHING' : 'GREEN';
    case 'blue':
      return 'BLUE';
    case 'red':
    case 'amber':
    case 'white':
      return flashing ? 'RED_FLASHING' : 'RED';
  }
}

export function lynxFrame(output: LightOutput): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(LYNX_FRAMES[lynxLook(output)]);
}
