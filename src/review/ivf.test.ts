import { describe, expect, it } from 'vitest';
import { IvfFormatError, parseIvf } from './ivf.ts';

/** An IVF file with the given frames (timebase 1/12 s, pts = index). */
function ivf(frames: Uint8Array[], fourcc = 'VP80'): Uint8Array {
  const size = 32 + frames.reduce((s, f) => s + 12 + f.byteLength, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out.set(
    [...'DKIF'].map((c) => c.charCodeAt(0)),
    0,
  );
  v.setUint16(6, 32, true);
  out.set(
    [...fourcc].map((c) => c.charCodeAt(0)),
    8,
  );
  v.setUint16(12, 640, true);
  v.setUint16(14, 360, true);
  v.setUint32(16, 12, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, frames.length, true);
  let at = 32;
  frames.forEach((f, i) => {
    v.setUint32(at, f.byteLength, true);
    v.setUint32(at + 4, i, true);
    out.set(f, at + 12);
    at += 12 + f.byteLength;
  });
  return out;
}

describe('parseIvf', () => {
  it('reads size, timestamps and VP8 keyframes', () => {
    const clip = parseIvf(ivf([new Uint8Array([0x10, 1, 2]), new Uint8Array([0x11, 9])]));
    expect(clip).toMatchObject({ codec: 'vp8', width: 640, height: 360 });
    expect(clip.frames.map((f) => [f.timestampUs, f.key, f.data.byteLength])).toEqual([
      [0, true, 3],
      [83_333, false, 2],
    ]);
  });

  it('refuses another container, an unknown codec and a cut file with a clear error', () => {
    expect(() => parseIvf(new Uint8Array(40))).toThrow(/signature/);
    expect(() => parseIvf(ivf([], 'H264'))).toThrow(/H264/);
    const cut = ivf([new Uint8Array(10)]).subarray(0, 40);
    expect(() => parseIvf(cut)).toThrow(IvfFormatError);
  });
});
