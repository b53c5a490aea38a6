/**
 * The pre-roll ring: encoded video chunks in capture order, bounded by time span and bytes. Pure
 * data structure (no browser APIs) so the cutting rules are unit-tested in Node.
 *
 * Invariant: the oldest chunk kept is always a keyframe, so whatever is left can be decoded.
 */
export interface EncodedChunkRecord {
  /** Capture time on the recorder's monotonic clock (ms). */
  tMs: number;
  durationMs: number;
  key: boolean;
  data: Uint8Array<ArrayBuffer>;
}

export interface RingLimits {
  /** Newest minus oldest capture time kept. */
  maxSpanMs: number;
  maxBytes: number;
}

export interface ChunkSelection {
  chunks: EncodedChunkRecord[];
  /** The ring no longer (or never) held video from the requested start: the clip begins later. */
  truncatedStart: boolean;
}

export class ChunkRing {
  private items: EncodedChunkRecord[] = [];
  /** Index of the oldest live item; the array is compacted lazily so eviction stays O(1). */
  private head = 0;
  private totalBytes = 0;

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get firstMs(): number | undefined {
    return this.items[this.head]?.tMs;
  }

  get lastMs(): number | undefined {
    return this.items.length > this.head ? this.items[this.items.length - 1]?.tMs : undefined;
  }

  /**
   * Appends a chunk. Chunks must arrive in capture order; one that does not (a clock step after a
   * camera change) is refused rather than breaking the binary searches. A ring that is empty only
   * accepts a keyframe, which keeps the invariant above.
   */
  push(chunk: EncodedChunkRecord, limits: RingLimits): boolean {
    const last = this.lastMs;
    if (last !== undefined && chunk.tMs <= last) return false;
    if (this.size === 0 && !chunk.key) return false;
    this.items.push(chunk);
    this.totalBytes += chunk.data.byteLength;
    this.evict(limits);
    return true;
  }

  /** Drops the oldest chunks until both limits hold, then up to the next keyframe. */
  evict(limits: RingLimits): void {
    const newest = this.lastMs;
    if (newest === undefined) return;
    const over = () => {
      const oldest = this.items[this.head];
      return (
        oldest !== undefined && (newest - oldest.tMs > limits.maxSpanMs || this.totalBytes > limits.maxBytes)
      );
    };
    let dropped = false;
    while (this.size > 1 && over()) {
      this.dropHead();
      dropped = true;
    }
    if (dropped) while (this.size > 0 && this.items[this.head]?.key === false) this.dropHead();
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.totalBytes = 0;
  }

  /** Capture time of the newest keyframe at or before `ms`, if the ring holds one. */
  keyAtOrBefore(ms: number): number | undefined {
    for (let i = this.upperBound(ms) - 1; i >= this.head; i--) {
      const c = this.items[i];
      if (c?.key) return c.tMs;
    }
    return undefined;
  }

  /**
   * Chunks for a clip: from the keyframe at or before `fromMs` (the first keyframe kept when the
   * ring starts later) through the last chunk captured at or before `toMs`. A decoder needs the
   * keyframe, so a clip may start up to one keyframe interval early, never late.
   */
  select(fromMs: number, toMs: number): ChunkSelection {
    const end = this.upperBound(toMs);
    let start = -1;
    for (let i = Math.min(this.upperBound(fromMs), end) - 1; i >= this.head; i--) {
      if (this.items[i]?.key) {
        start = i;
        break;
      }
    }
    let truncatedStart = false;
    if (start < 0) {
      // Nothing from before `fromMs` survives: start at the first keyframe kept (the head).
      truncatedStart = this.size > 0;
      start = this.head;
    }
    return { chunks: start < end ? this.items.slice(start, end) : [], truncatedStart };
  }

  /** Index one past the last item with tMs <= ms (binary search over the live part). */
  private upperBound(ms: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid]?.tMs ?? Infinity) <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private dropHead(): void {
    const c = this.items[this.head];
    if (!c) return;
    this.totalBytes -= c.data.byteLength;
    // Release the bytes now; the slot itself goes at the next compaction.
    this.items[this.head] = { ...c, data: new Uint8Array(0) };
    this.head++;
  }
}
