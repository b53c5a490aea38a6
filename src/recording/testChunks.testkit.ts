import type { EncodedChunkRecord } from './chunkRing.ts';

/** A synthetic camera: `n` chunks at `fps` from `t0`, a keyframe every `gop` frames, `size` bytes each. */
export function makeChunks(n: number, opts: { t0?: number; fps?: number; gop?: number; size?: number } = {}) {
  const { t0 = 1000, fps = 12, gop = 12, size = 100 } = opts;
  const period = 1000 / fps;
  const out: EncodedChunkRecord[] = [];
  for (let i = 0; i < n; i++) {
    const data = new Uint8Array(size);
    data[0] = i & 0xff;
    data[1] = (i >> 8) & 0xff;
    out.push({ tMs: t0 + i * period, durationMs: period, key: i % gop === 0, data });
  }
  return out;
}
