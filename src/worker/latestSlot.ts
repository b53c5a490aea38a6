/**
 * A one-place mailbox that keeps only the newest item: camera frames that arrive while the worker
 * is busy replace the waiting one (which is released), so the pipeline never falls behind the
 * camera and memory stays flat. Drop, never queue.
 */
export class LatestSlot<T> {
  private item: T | undefined;

  constructor(private readonly release: (dropped: T) => void) {}

  /** Stores `item`; returns true when it replaced (and released) a waiting one. */
  put(item: T): boolean {
    const old = this.item;
    this.item = item;
    if (old !== undefined) {
      this.release(old);
      return true;
    }
    return false;
  }

  take(): T | undefined {
    const item = this.item;
    this.item = undefined;
    return item;
  }

  clear(): void {
    const old = this.take();
    if (old !== undefined) this.release(old);
  }

  get waiting(): boolean {
    return this.item !== undefined;
  }
}
