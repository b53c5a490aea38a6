/**
 * Tells a keyboard-wedge barcode scanner from a person at a keyboard. Both arrive as key presses;
 * the difference is rhythm. A scanner "types" a whole code in a burst (typically 5-25 ms between
 * characters, then Enter), while even a fast typist needs 80-150 ms per key.
 *
 * Keys are grouped into bursts: a burst ends at a terminator key, or when no key came for
 * `endTimeoutMs` (scanners configured without a suffix), or when a slow burst meets another slow
 * gap (so keys a person typed just before a scan do not get glued onto the code). A finished
 * burst is a scan when it has at least `minLength` characters and the average time per key is at
 * most `maxInterKeyMs`; otherwise its characters are reported as typing. Every character fed in
 * comes back exactly once, in order, in either a scan or a typing result (unless cancelled).
 *
 * Limitation: a single key pressed after a silence and less than `endTimeoutMs` before a scan
 * starts is indistinguishable from a scanner pausing after its first character, and becomes part
 * of the code. The check digit then rejects the code downstream.
 *
 * Pure: the caller supplies timestamps (milliseconds, any origin, e.g. KeyboardEvent.timeStamp).
 */

export type WedgeResult =
  { kind: 'scan'; code: string; durationMs: number } | { kind: 'typing'; text: string };

export type WedgeDetectorOptions = {
  /**
   * Highest average time per key for a burst to count as a scan. onScan.js uses 30 ms; 50 ms
   * leaves room for cheap or Bluetooth scanners and USB polling jitter (20-40 ms per key seen in
   * the field) while staying well under the 80+ ms per key of the fastest sustained typing.
   */
  maxInterKeyMs: number;
  /** Shortest scan. 6 covers EAN-8 and every GTIN while ruling out short bursts of typing. */
  minLength: number;
  /** Keys that end a scan; they are not part of the code. */
  terminators: readonly string[];
  /** Silence after which a burst is complete even without a terminator. */
  endTimeoutMs: number;
};

export const DEFAULT_WEDGE_OPTIONS: Readonly<WedgeDetectorOptions> = Object.freeze({
  maxInterKeyMs: 50,
  minLength: 6,
  terminators: Object.freeze(['Enter', 'Tab']),
  endTimeoutMs: 100,
});

export class WedgeDetector {
  readonly options: Readonly<WedgeDetectorOptions>;
  private chars = '';
  private count = 0;
  private firstAt = 0;
  private lastAt = 0;
  /** Gap before the burst's first key; Infinity after silence. */
  private leadGap = Infinity;

  constructor(opts: Partial<WedgeDetectorOptions> = {}) {
    this.options = Object.freeze({ ...DEFAULT_WEDGE_OPTIONS, ...opts });
  }

  /** Characters of the burst in progress, not yet reported. */
  get pending(): string {
    return this.chars;
  }

  /**
   * Feeds one key press. `key` is a KeyboardEvent.key value: a single character or a terminator;
   * anything else (Shift, arrows) is ignored. Returns the burst this key finished, if any.
   */
  key(key: string, atMs: number): WedgeResult | null {
    const isTerminator = this.options.terminators.includes(key);
    if (!isTerminator && [...key].length !== 1) return null;
    if (this.count === 0) {
      if (!isTerminator) this.start(key, atMs, Infinity);
      return null;
    }
    const gap = this.gapTo(atMs);
    // A terminator this late did not come from the scanner that sent the burst.
    if (isTerminator && gap < this.options.endTimeoutMs) return this.finish(atMs, this.count);
    if (isTerminator) return this.finish(this.lastAt, this.count - 1);
    if (gap >= this.options.endTimeoutMs || (this.isSlowSoFar() && gap > this.options.maxInterKeyMs)) {
      const done = this.finish(this.lastAt, this.count - 1);
      this.start(key, atMs, gap);
      return done;
    }
    this.chars += key;
    this.count += 1;
    this.lastAt = atMs;
    return null;
  }

  /**
   * Call when no key has come for a while (a timer in the adapter). Completes the pending burst
   * once `endTimeoutMs` has passed since its last key; before that returns null and keeps it.
   */
  flush(atMs: number): WedgeResult | null {
    if (this.count === 0 || this.gapTo(atMs) < this.options.endTimeoutMs) return null;
    return this.finish(this.lastAt, this.count - 1);
  }

  /** Drops the pending burst unreported, e.g. when a held key starts auto-repeating. */
  cancel(): void {
    this.chars = '';
    this.count = 0;
  }

  private start(key: string, atMs: number, leadGap: number): void {
    this.chars = key;
    this.count = 1;
    this.firstAt = atMs;
    this.lastAt = atMs;
    this.leadGap = leadGap;
  }

  /**
   * Whether the burst so far looks typed. A lone key counts as typed only when it continued
   * typing (a slow gap before it, but no silence): after silence it may be a scanner's first
   * character, and one late second character must not cost the scan its first digit.
   */
  private isSlowSoFar(): boolean {
    const { maxInterKeyMs, endTimeoutMs } = this.options;
    if (this.count === 1) return this.leadGap > maxInterKeyMs && this.leadGap < endTimeoutMs;
    return this.averageGap(this.lastAt, this.count - 1) > maxInterKeyMs;
  }

  /** Clocks of different origins or reordered events must not produce negative gaps. */
  private gapTo(atMs: number): number {
    return Math.max(0, atMs - this.lastAt);
  }

  private averageGap(endAt: number, intervals: number): number {
    return intervals <= 0 ? 0 : Math.max(0, endAt - this.firstAt) / intervals;
  }

  /**
   * `endAt` is the terminator's time (one interval per character) or, for a burst that timed
   * out, the last character's (one interval fewer).
   */
  private finish(endAt: number, intervals: number): WedgeResult {
    const text = this.chars;
    const isScan =
      this.count >= this.options.minLength && this.averageGap(endAt, intervals) <= this.options.maxInterKeyMs;
    const durationMs = Math.max(0, endAt - this.firstAt);
    this.cancel();
    return isScan ? { kind: 'scan', code: text, durationMs } : { kind: 'typing', text };
  }
}
