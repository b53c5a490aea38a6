import { describe, expect, it } from 'vitest';
import { Sequencer } from './sequencer.ts';

function drain(seq: Sequencer<string>, now: number): string[] {
  const out: string[] = [];
  for (let r = seq.next(now); r !== null; r = seq.next(now)) {
    out.push(r.item);
    seq.processed(r.seq, r.fingerprint);
  }
  return out;
}

describe('Sequencer', () => {
  it('joins the stream at the first seq it sees, then expects the next one', () => {
    const s = new Sequencer<string>(1500);
    expect(s.admit(41, 'a', 'a', 0)).toBe('next');
    s.processed(41, 'a');
    expect(s.lastSeq).toBe(41);
    expect(s.admit(42, 'b', 'b', 0)).toBe('next');
  });

  it('holds early events and hands them back in seq order once the gap fills', () => {
    const s = new Sequencer<string>(1500);
    s.processed(1, 'a');
    expect(s.admit(4, 'd', 'd', 0)).toBe('held');
    expect(s.admit(3, 'c', 'c', 10)).toBe('held');
    expect(s.heldSeqs).toEqual([3, 4]);
    expect(s.releaseAt).toBe(1500);
    expect(drain(s, 100)).toEqual([]);
    expect(s.admit(2, 'b', 'b', 200)).toBe('next');
    s.processed(2, 'b');
    expect(drain(s, 200)).toEqual(['c', 'd']);
    expect(s.lastSeq).toBe(4);
  });

  it('gives up on a gap after the hold time, timed from when the gap was first noticed', () => {
    const s = new Sequencer<string>(1500);
    s.processed(1, 'a');
    s.admit(5, 'e', 'e', 0);
    s.admit(3, 'c', 'c', 1000);
    expect(s.next(1499)).toBeNull();
    const first = s.next(1500);
    expect(first).toMatchObject({ item: 'c', gap: { from: 2, to: 2, waitedMs: 1500 } });
    if (first) s.processed(first.seq, first.fingerprint);
    // Seq 4 has been missing since seq 5 arrived at t=0, so it has waited long enough too.
    expect(s.next(1500)).toMatchObject({ item: 'e', gap: { from: 4, to: 4 } });
  });

  it('restarts the wait when the clock steps back', () => {
    const s = new Sequencer<string>(1500);
    s.processed(1, 'a');
    s.admit(3, 'c', 'c', 10_000);
    expect(s.next(500)).toBeNull();
    expect(s.next(1999)).toBeNull();
    expect(s.next(2000)).toMatchObject({ item: 'c' });
  });

  it('spots duplicates and conflicts among processed and held seqs', () => {
    const s = new Sequencer<string>(1500);
    s.processed(1, 'a');
    s.admit(3, 'c', 'c', 0);
    expect(s.admit(1, 'a', 'a', 0)).toBe('duplicate');
    expect(s.admit(1, 'x', 'x', 0)).toBe('conflict');
    expect(s.admit(3, 'c', 'c', 0)).toBe('duplicate');
    expect(s.admit(3, 'y', 'y', 0)).toBe('conflict');
    expect(s.admit(0, 'z', 'z', 0)).toBe('late');
  });

  it('resumes after a given seq, dropping held events it covers', () => {
    const s = new Sequencer<string>(1500);
    s.processed(1, 'a');
    s.admit(5, 'e', 'e', 0);
    s.admit(9, 'i', 'i', 0);
    s.resume(6);
    expect(s.heldSeqs).toEqual([9]);
    s.resume(0);
    expect(s.lastSeq).toBe(1);
    expect(s.admit(2, 'b', 'b', 0)).toBe('next');
    expect(s.admit(1, 'a', 'a', 0)).toBe('duplicate');
    s.resume(-1);
    expect(s.heldSeqs).toEqual([]);
    // Forgotten: after a POS restart, seq 1 is a new event, not a conflicting replay.
    expect(s.admit(1, 'x', 'x', 0)).toBe('next');
  });
});
