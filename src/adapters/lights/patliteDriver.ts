import type { LightOutput } from '../../core/lane/lightConfig.ts';
import {
  PATLITE_REPORT_ID,
  THREE_TIER,
  patliteReport,
  type PatliteTiers,
} from '../../core/lane/protocols/patlite.ts';
import type { HIDDevice } from './deviceTypes.ts';
import { DriverCore } from './driverCore.ts';
import { ensureOpen, watchHidDisconnect, type HidDriverOptions } from './hidSupport.ts';
import type { LightDriver } from './lightDriver.ts';

export interface PatliteDriverOptions extends HidDriverOptions {
  /** Fitted optional tiers; default: red, amber and green only. */
  tiers?: PatliteTiers;
}

/** Patlite LR6-USB: the tower blinks by itself, so each apply is a single report. */
export class PatliteDriver implements LightDriver {
  readonly name = 'Patlite LR6-USB';
  readonly #core: DriverCore;
  readonly #tiers: PatliteTiers;
  readonly #unwatch: () => void;

  constructor(
    private readonly device: HIDDevice,
    options: PatliteDriverOptions = {},
  ) {
    this.#core = new DriverCore(this.name, options.onError);
    this.#tiers = options.tiers ?? THREE_TIER;
    this.#unwatch = watchHidDisconnect(device, options.hid, (reason) => this.#core.lose(reason));
  }

  get available(): boolean {
    return this.#core.available;
  }

  apply(output: LightOutput): Promise<void> {
    return this.#core.run(async () => {
      await ensureOpen(this.device);
      await this.device.sendReport(PATLITE_REPORT_ID, patliteReport(output, this.#tiers));
    });
  }

  async close(): Promise<void> {
    this.#unwatch();
    await this.apply({ color: 'off', pattern: 'steady' });
    this.#core.stop();
    try {
      if (this.device.opened) await this.device.close();
    } catch (error) {
      this.#core.report(error);
    }
  }
}
