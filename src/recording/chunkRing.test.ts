import { describe, expect, it } from 'vitest';
import { ChunkRing } from './chunkRing.ts';
import { makeChunks } from './testChunks.testkit.ts';

const roomy = { maxSpanMs: 1e9, maxBytes: 1e12 };

function fill(chunks: ReturnType<typeof makeChunks>, limits = roomy) {
  const ring = new ChunkRing();
  for (const c of chunks) ring.push(c, limits);
  return ring;
}

describe('ChunkRing', () => {
  it('starts only on a keyframe and refuses out-of-order chunks', () => {
    const ring = new ChunkRing();
    const [k, d] = makeChunks(2);
    expect(ring.push(d!, roomy)).toBe(false);
    expect(ring.push(k!, roomy)).toBe(true);
    expect(ring.push(d!, roomy)).toBe(true);
    expect(ring.push(k!, roomy)).toBe(false);
    expect(ring.size).toBe(2);
    expect(ring.bytes).toBe(200);
  });

  it('evicts by time span and keeps a keyframe at the head', () => {
    const chunks = makeChunks(12 * 30); // 30 s at 12 fps, keyframe every second
    const ring = fill(chunks, { maxSpanMs: 10_000, maxBytes: 1e12 });
    const span = ring.lastMs! - ring.firstMs!;
    expect(span).toBeLessThanOrEqual(10_000);
    expect(span).toBeGreaterThan(9_000);
    const first = ring.select(0, Infinity).chunks[0]!;
    expect(first.key).toBe(true);
    expect(ring.bytes).toBe(ring.size * 100);
  });

  it('evicts by bytes', () => {
    const ring = fill(makeChunks(600, { size: 1000 }), { maxSpanMs: 1e9, maxBytes: 50_000 });
    expect(ring.bytes).toBeLessThanOrEqual(50_000);
    expect(ring.bytes).toBeGreaterThan(50_000 - 12 * 1000);
  });

  it('cuts from the keyframe at or before the start through the end', () => {
    const chunks = makeChunks(12 * 20, { t0: 0 }); // keyframes at 0, 1000, 2000 ...
    const ring = fill(chunks);
    const sel = ring.select(5500, 8000);
    expect(sel.truncatedStart).toBe(false);
    expect(sel.chunks[0]!.tMs).toBe(5000);
    expect(sel.chunks[0]!.key).toBe(true);
    expect(sel.chunks.at(-1)!.tMs).toBe(8000);
    // Exactly on a keyframe starts there.
    expect(ring.select(6000, 6100).chunks[0]!.tMs).toBe(6000);
    expect(ring.keyAtOrBefore(6999)).toBe(6000);
  });

  it('says when the requested start is no longer held', () => {
    const ring = fill(makeChunks(12 * 20, { t0: 0 }), { maxSpanMs: 5000, maxBytes: 1e12 });
    const sel = ring.select(1000, 100_000);
    expect(sel.truncatedStart).toBe(true);
    expect(sel.chunks[0]!.tMs).toBe(ring.firstMs);
    expect(sel.chunks[0]!.key).toBe(true);
    expect(ring.select(0, -1).chunks).toEqual([]);
  });

  it('stays consistent over long runs (lazy compaction)', () => {
    const ring = new ChunkRing();
    const chunks = makeChunks(12 * 600, { t0: 0 });
    for (const c of chunks) ring.push(c, { maxSpanMs: 4000, maxBytes: 1e12 });
    const sel = ring.select(ring.lastMs! - 2500, ring.lastMs!);
    expect(sel.chunks.every((c, i, a) => i === 0 || c.tMs > a[i - 1]!.tMs)).toBe(true);
    expect(sel.chunks[0]!.key).toBe(true);
    expect(ring.size).toBeLessThanOrEqual(12 * 5 + 1);
  });
});
