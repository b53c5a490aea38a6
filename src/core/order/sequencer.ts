/**
 * Sequence bookkeeping for one lane: which seq comes next, which were already processed, and
 * which arrived early and wait for the ones before them.
 *
 * "Processed" means the order model has dealt with the event, applied or refused on the grounds
 * of order state; either way the seq is used up and the stream moves past it. Events refused by
 * validation never get here, so a malformed event cannot advance the stream.
 */

/** How many processed seqs are remembered for duplicate and conflict detection. */
const SEEN_WINDOW = 4096;
/** Held events beyond this are released at once instead of waiting out the gap. */
const MAX_HELD = 1000;

export type Admission = 'next' | 'held' | 'late' | 'duplicate' | 'conflict';

export interface Release<T> {
  item: T;
  seq: number;
  fingerprint: string;
  /** The missing seqs skipped to release this one, if any. */
  gap?: { from: number; to: number; waitedMs: number };
  /** True when the seq was already behind the stream (only after resume()). */
  late: boolean;
}

interface Held<T> {
  item: T;
  fingerprint: string;
  /** When it arrived; the oldest held arrival is when the current gap was first noticed. */
  since: number;
}

export class Sequencer<T> {
  private last = -1;
  private synced = false;
  private readonly seen = new Map<number, string>();
  private readonly held = new Map<number, Held<T>>();

  constructor(private readonly holdMs: number) {}

  /** Highest processed seq, -1 before the first. */
  get lastSeq(): number {
    return this.last;
  }

  get heldSeqs(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** When the current gap will be given up on (caller's clock), or null without a gap. */
  get releaseAt(): number | null {
    const since = this.oldestSince();
    return since === null ? null : since + this.holdMs;
  }

  /**
   * Decides what to do with an event. 'held' keeps it here until next() hands it back; the other
   * outcomes leave it to the caller, who must call processed() for 'next' and 'late'.
   */
  admit(seq: number, fingerprint: string, item: T, now: number): Admission {
    const known = this.seen.get(seq) ?? this.held.get(seq)?.fingerprint;
    if (known !== undefined) {
      if (known !== fingerprint) return 'conflict';
      return 'duplicate';
    }
    // Before the first event (or after resume(-1)) any seq is a fine place to join the stream.
    if (!this.synced || seq === this.last + 1) return 'next';
    if (seq <= this.last) return 'late';
    this.held.set(seq, { item, fingerprint, since: now });
    return 'held';
  }

  processed(seq: number, fingerprint: string): void {
    this.seen.set(seq, fingerprint);
    if (this.seen.size > SEEN_WINDOW) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    if (!this.synced || seq > this.last) this.last = seq;
    this.synced = true;
  }

  private skipProcessed(): void {
    while (this.seen.has(this.last + 1)) this.last += 1;
  }

  /**
   * The next held event that may go now: the one right after lastSeq, or, once the gap has been
   * waited out (or too much is held), the lowest held one. The caller processes it and asks again.
   */
  next(now: number): Release<T> | null {
    let lowest: number | null = null;
    for (const seq of this.held.keys()) if (lowest === null || seq < lowest) lowest = seq;
    if (lowest === null) return null;
    const entry = this.held.get(lowest);
    if (entry === undefined) return null;

    const release = (gap?: Release<T>['gap']): Release<T> => {
      this.held.delete(lowest);
      const out: Release<T> = { item: entry.item, seq: lowest, fingerprint: entry.fingerprint, late: false };
      if (lowest <= this.last) out.late = true;
      if (gap) out.gap = gap;
      return out;
    };
    if (lowest <= this.last + 1) return release();

    const since = this.oldestSince() ?? now;
    if (now < since) {
      // The caller's clock stepped back: restart the wait rather than hold until it catches up.
      for (const held of this.held.values()) held.since = now;
      return null;
    }
    if (now - since >= this.holdMs || this.held.size > MAX_HELD) {
      return release({ from: this.last + 1, to: lowest - 1, waitedMs: now - since });
    }
    return null;
  }

  /**
   * Continues after `seq` (e.g. the last seq persisted before a reload). Seqs remembered as
   * processed stay remembered, so a replay of them is reported as duplicates rather than applied
   * twice, and lastSeq moves on past those that directly follow.
   *
   * -1 starts over: all sequence history is forgotten and the next event, whatever its seq, is
   * where the stream continues. That is the way out after a POS restarted its numbering, which
   * would otherwise make every new event look late or conflicting.
   */
  resume(seq: number): void {
    if (seq < 0) {
      this.last = -1;
      this.synced = false;
      this.seen.clear();
      this.held.clear();
      return;
    }
    this.last = seq;
    this.synced = true;
    for (const heldSeq of [...this.held.keys()]) if (heldSeq <= seq) this.held.delete(heldSeq);
    // Seqs already processed right after it need no replay; waiting for them would stall the stream.
    this.skipProcessed();
  }

  private oldestSince(): number | null {
    let oldest: number | null = null;
    for (const held of this.held.values()) if (oldest === null || held.since < oldest) oldest = held.since;
    return oldest;
  }
}
