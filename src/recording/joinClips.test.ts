import { describe, expect, it } from 'vitest';
import { ChunkRing } from './chunkRing.ts';
import { joinClips } from './joinClips.ts';
import { TransactionBook, takeCheckpoint } from './transactions.ts';
import { muxClip } from './webmClip.ts';
import { readWebm } from './webmReader.ts';
import { makeChunks } from './testChunks.testkit.ts';

const opts = { codec: 'vp8' as const, width: 640, height: 360, fps: 12 };

describe('joinClips', () => {
  it('rebuilds the transaction from its checkpoints, frame for frame', () => {
    const chunks = makeChunks(12 * 30, { t0: 0 });
    const ring = new ChunkRing();
    const book = new TransactionBook();
    book.start('t', 4000);
    const pieces = [];
    for (const [i, c] of chunks.entries()) {
      ring.push(c, { maxSpanMs: 1e9, maxBytes: 1e12 });
      if (i % 100 === 99) {
        const cp = takeCheckpoint(ring, book.get('t')!, 3000);
        if (cp) pieces.push(muxClip(cp.chunks, opts)!);
      }
    }
    expect(pieces.length).toBeGreaterThan(1);
    const joined = joinClips(pieces.reverse(), 12)!;
    const frames = readWebm(joined.bytes).frames;
    const expected = pieces.reduce((n, p) => n + p.frames, 0);
    expect(frames).toHaveLength(expected);
    expect(frames[0]!.key).toBe(true);
    // The data of every frame is the original chunk's, in order.
    const firstIndex = chunks.findIndex((c) => c.tMs === joined.startMs);
    frames.forEach((f, i) => expect(f.data[0]).toBe((firstIndex + i) & 0xff));
    expect(joinClips([], 12)).toBeNull();
  });

  it('refuses pieces of different formats', () => {
    const a = muxClip(makeChunks(3), opts)!;
    const b = muxClip(makeChunks(3, { t0: 5000 }), { ...opts, width: 320 })!;
    expect(() => joinClips([a, b], 12)).toThrow(/differ/);
  });
});
