import type { LightOutput } from '../../core/lane/lightConfig.ts';
import { lynxFrame } from '../../core/lane/protocols/lynx.ts';
import type { SerialPort } from './deviceTypes.ts';
import { DriverCore } from './driverCore.ts';
import type { LightDriver, LightDriverOptions } from './lightDriver.ts';

/**
 * LYNX lane light on a (USB-)serial port. The lamp blinks by itself, so each apply writes one
 * 4-byte frame. The port is opened on first use and its writer kept, since frames are tiny and
 * frequent. After an unplug the driver stays unavailable; the app builds a new one when
 * `navigator.serial` reports the port back.
 */
export class LynxSerialDriver implements LightDriver {
  readonly name = 'LYNX serial light';
  readonly #core: DriverCore;
  #writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  #opened = false;

  constructor(
    private readonly port: SerialPort,
    private readonly baudRate = 9600,
    options: LightDriverOptions = {},
  ) {
    this.#core = new DriverCore(this.name, options.onError);
    port.addEventListener('disconnect', this.#onDisconnect);
  }

  get available(): boolean {
    return this.#core.available;
  }

  apply(output: LightOutput): Promise<void> {
    return this.#core.run(async () => {
      const writer = await this.#getWriter();
      try {
        await writer.write(lynxFrame(output));
      } catch (error) {
        // A failed write errors the stream for good; let the next apply start over.
        this.#releaseWriter();
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    this.port.removeEventListener('disconnect', this.#onDisconnect);
    await this.apply({ color: 'off', pattern: 'steady' });
    this.#core.stop();
    this.#releaseWriter();
    if (!this.#opened) return;
    try {
      await this.port.close();
    } catch (error) {
      this.#core.report(error);
    }
  }

  async #getWriter(): Promise<WritableStreamDefaultWriter<Uint8Array>> {
    if (this.#writer !== null) return this.#writer;
    // `writable` is null before open() and again after a fatal stream error. In the second case
    // the port is still open, so close it first: open() on an open port throws.
    if (this.port.writable === null) {
      if (this.#opened) {
        this.#opened = false;
        await this.port.close();
      }
      await this.port.open({ baudRate: this.baudRate });
      this.#opened = true;
    }
    const writable = this.port.writable;
    if (writable === null) throw new Error('serial port is not writable');
    this.#writer = writable.getWriter();
    return this.#writer;
  }

  #releaseWriter(): void {
    try {
      this.#writer?.releaseLock();
    } catch {
      // Releasing a lock on an errored stream can throw; the writer is discarded either way.
    }
    this.#writer = null;
  }

  readonly #onDisconnect = (): void => {
    this.#releaseWriter();
    this.#core.lose('serial port was disconnected');
  };
}
