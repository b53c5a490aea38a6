import { describe, expect, it } from 'vitest';
import { ChunkRing } from './chunkRing.ts';
import { TransactionBook, clipWindow, takeCheckpoint } from './transactions.ts';
import { makeChunks } from './testChunks.testkit.ts';

const opts = { preMs: 3000, postMs: 3000, maxTransactionMs: 600_000 };

describe('TransactionBook', () => {
  it('gives pre-roll before the start and post-roll after the end', () => {
    const book = new TransactionBook();
    book.start('t1', 10_000);
    expect(book.end('t1', 25_000, opts)).toEqual({ fromMs: 7000, toMs: 28_000 });
    expect(book.end('t1', 26_000, opts)).toBeUndefined();
  });

  it('keeps the first start mark when a start is replayed', () => {
    const book = new TransactionBook();
    book.start('t1', 10_000);
    book.start('t1', 12_000);
    expect(book.end('t1', 20_000, opts)!.fromMs).toBe(7000);
  });

  it('caps a very long transaction to its last maxTransactionMs', () => {
    const book = new TransactionBook();
    book.start('t1', 0);
    const w = book.end('t1', 1_000_000, opts)!;
    expect(w).toEqual({ fromMs: 1_000_000 - 600_000 - 3000, toMs: 1_003_000 });
  });

  it('an end without a start reaches back as far as the cap allows', () => {
    const book = new TransactionBook();
    const w = book.end('lost', 700_000, opts)!;
    expect(w.fromMs).toBe(700_000 - 603_000);
    expect(
      clipWindow(
        { txn: 'x', startMs: undefined, endMs: undefined, flushedUntilMs: undefined, checkpointSeq: 0 },
        opts,
      ).toMs,
    ).toBe(3000);
  });

  it('lists only open transactions', () => {
    const book = new TransactionBook();
    book.start('a', 1);
    book.start('b', 2);
    book.end('a', 3, opts);
    expect(book.open().map((t) => t.txn)).toEqual(['b']);
    book.remove('a');
    expect(book.size).toBe(1);
  });
});

describe('takeCheckpoint', () => {
  it('hands out keyframe-aligned pieces that cover the transaction without gap or overlap', () => {
    const chunks = makeChunks(12 * 40, { t0: 0 }); // 40 s, keyframes every 1000 ms
    const ring = new ChunkRing();
    const book = new TransactionBook();
    book.start('t1', 5200);
    const state = book.get('t1')!;
    const pieces: number[][] = [];
    for (const [i, c] of chunks.entries()) {
      ring.push(c, { maxSpanMs: 1e9, maxBytes: 1e12 });
      if (i % 60 === 59) {
        const cp = takeCheckpoint(ring, state, 3000);
        if (cp) {
          expect(cp.chunks[0]!.key).toBe(true);
          expect(cp.seq).toBe(pieces.length + 1);
          pieces.push(cp.chunks.map((x) => x.tMs));
        }
      }
    }
    const flat = pieces.flat();
    expect(flat[0]).toBe(2000); // keyframe at or before 5200 - 3000
    expect(new Set(flat).size).toBe(flat.length);
    // Consecutive pieces meet exactly: each starts at the keyframe the previous stopped before.
    for (let i = 1; i < flat.length; i++) expect(flat[i]! - flat[i - 1]!).toBeCloseTo(1000 / 12, 6);
    expect(takeCheckpoint(ring, state, 3000)).toBeNull(); // nothing new since the last one
  });

  it('takes none for an ended transaction or before the first new keyframe', () => {
    const ring = new ChunkRing();
    for (const c of makeChunks(10, { t0: 0 })) ring.push(c, { maxSpanMs: 1e9, maxBytes: 1e12 });
    const book = new TransactionBook();
    book.start('t', 500);
    expect(takeCheckpoint(ring, book.get('t')!, 3000)).toBeNull();
    book.end('t', 800, opts);
    expect(takeCheckpoint(ring, book.get('t')!, 3000)).toBeNull();
  });
});
