import type { LightErrorHandler } from './lightDriver.ts';

export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Shared plumbing for the drivers: runs device writes one at a time (HID and serial writes must
 * not interleave, and the last state applied must be the last one written), turns failures into
 * onError reports, and remembers when the device is gone.
 */
export class DriverCore {
  #available = true;
  #pending = 0;
  #failing = false;
  #tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly name: string,
    private readonly onError: LightErrorHandler = (error) => console.warn(error),
  ) {}

  get available(): boolean {
    return this.#available;
  }

  /** True while a write is queued or running; the flash timer skips a tick rather than pile up. */
  get busy(): boolean {
    return this.#pending > 0;
  }

  /** Queues a device write. Never rejects; skipped once the device is unavailable. */
  run(task: () => Promise<void>): Promise<void> {
    this.#pending += 1;
    const next = this.#tail.then(async () => {
      try {
        if (!this.#available) return;
        await task();
        this.#failing = false;
      } catch (error) {
        // One report per run of failures: a flashing light would otherwise report several
        // times a second for the same fault.
        if (!this.#failing) this.report(error);
        this.#failing = true;
      } finally {
        this.#pending -= 1;
      }
    });
    this.#tail = next;
    return next;
  }

  report(error: unknown): void {
    const e = toError(error);
    try {
      this.onError(new Error(`${this.name}: ${e.message}`, { cause: e }));
    } catch {
      // A faulty error handler must not break the write queue.
    }
  }

  /** The device is gone: report once and drop every later write. */
  lose(reason: string): void {
    if (!this.#available) return;
    this.#available = false;
    this.report(new Error(reason));
  }

  /** Closing on purpose: drop later writes without reporting an error. */
  stop(): void {
    this.#available = false;
  }
}
