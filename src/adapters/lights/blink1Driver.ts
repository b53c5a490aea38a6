import { sameOutput, type LightOutput } from '../../core/lane/lightConfig.ts';
import {
  BLINK1_COLORS,
  BLINK1_HALF_PERIOD_MS,
  BLINK1_REPORT_ID,
  blink1Report,
  type Rgb,
} from '../../core/lane/protocols/blink1.ts';
import type { HIDDevice } from './deviceTypes.ts';
import { DriverCore } from './driverCore.ts';
import type { LightDriver } from './lightDriver.ts';
import { ensureOpen, watchHidDisconnect, type HidDriverOptions } from './hidSupport.ts';

/** Injectable so tests (and a kiosk shell with its own scheduler) control the flash timer. */
export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Looks the globals up on each call so Vitest's fake timers apply to the default too. */
const globalTimers: IntervalTimers = {
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as Parameters<typeof clearInterval>[0]),
};

export interface Blink1DriverOptions extends HidDriverOptions {
  timers?: IntervalTimers;
}

/** blink(1): no built-in blinking, so flash patterns alternate colour and black on a timer. */
export class Blink1Driver implements LightDriver {
  readonly name = 'blink(1)';
  readonly #core: DriverCore;
  readonly #timers: IntervalTimers;
  readonly #unwatch: () => void;
  #current: LightOutput | null = null;
  #timer: unknown = null;

  constructor(
    private readonly device: HIDDevice,
    options: Blink1DriverOptions = {},
  ) {
    this.#core = new DriverCore(this.name, options.onError);
    this.#timers = options.timers ?? globalTimers;
    this.#unwatch = watchHidDisconnect(device, options.hid, (reason) => {
      this.#stopFlashing();
      this.#core.lose(reason);
    });
  }

  get available(): boolean {
    return this.#core.available;
  }

  apply(output: LightOutput): Promise<void> {
    if (!this.#core.available) return Promise.resolve();
    const rgb = BLINK1_COLORS[output.color];
    const halfPeriod = BLINK1_HALF_PERIOD_MS[output.pattern];
    if (this.#current !== null && sameOutput(this.#current, output)) {
      // Re-applying the same flashing look must not restart the timer, or repeated state updates
      // would make the light stutter; the running timer keeps writing anyway. A steady colour is
      // written again, which also repairs a write that failed the first time.
      return halfPeriod === null ? this.#write(rgb) : this.#core.run(async () => {});
    }
    this.#current = { ...output };
    this.#stopFlashing();
    const written = this.#write(rgb);
    if (halfPeriod !== null && output.color !== 'off') this.#startFlashing(rgb, halfPeriod);
    return written;
  }

  async close(): Promise<void> {
    this.#unwatch();
    this.#stopFlashing();
    await this.#write(BLINK1_COLORS.off);
    this.#core.stop();
    try {
      if (this.device.opened) await this.device.close();
    } catch (error) {
      this.#core.report(error);
    }
  }

  #write(rgb: Rgb): Promise<void> {
    return this.#core.run(async () => {
      await ensureOpen(this.device);
      await this.device.sendFeatureReport(BLINK1_REPORT_ID, blink1Report(rgb));
    });
  }

  #startFlashing(rgb: Rgb, halfPeriod: number): void {
    let lit = true;
    this.#timer = this.#timers.setInterval(() => {
      // Skip a tick rather than queue writes behind a slow device; the next tick catches up.
      if (this.#core.busy) return;
      lit = !lit;
      void this.#write(lit ? rgb : BLINK1_COLORS.off);
    }, halfPeriod);
  }

  #stopFlashing(): void {
    if (this.#timer === null) return;
    this.#timers.clearInterval(this.#timer);
    this.#timer = null;
  }
}
