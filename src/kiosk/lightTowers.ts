import type { LightOutput } from '../core/lane/lightConfig.ts';
import { sameOutput } from '../core/lane/lightConfig.ts';
import type { HID, SerialPort } from '../adapters/lights/deviceTypes.ts';
import type { LightDriver } from '../adapters/lights/lightDriver.ts';
import {
  createHidLightDriver,
  findPairedHidLights,
  requestHidLight,
} from '../adapters/lights/webhidLights.ts';
import { LynxSerialDriver } from '../adapters/lights/serialLights.ts';

interface SerialApi {
  getPorts(): Promise<SerialPort[]>;
  requestPort(): Promise<SerialPort>;
}

/**
 * The physical light towers of this lane. Devices pre-granted by Chromium policy
 * (WebHidAllowDevicesForUrls, SerialAllowUsbDevicesForUrls) connect at start without a prompt;
 * an installer can pair one from Settings. A tower that fails never disturbs the lane.
 */
export class LightTowers {
  private drivers: LightDriver[] = [];
  private last: LightOutput | null = null;

  constructor(private readonly onError: (message: string) => void) {}

  private get hid(): HID | undefined {
    return (navigator as unknown as { hid?: HID }).hid;
  }

  private get serial(): SerialApi | undefined {
    return (navigator as unknown as { serial?: SerialApi }).serial;
  }

  async connectPaired(): Promise<void> {
    try {
      for (const device of this.hid ? await findPairedHidLights(this.hid) : []) this.addHid(device);
      // Only serial ports granted to this origin are used; LYNX is the one serial light supported.
      for (const port of this.serial ? await this.serial.getPorts() : [])
        this.add(new LynxSerialDriver(port, 9600, this.opts()));
    } catch (err) {
      this.onError(`light tower: ${(err as Error).message}`);
    }
  }

  async requestNew(): Promise<void> {
    try {
      if (this.hid) {
        const device = await requestHidLight(this.hid);
        if (device) return this.addHid(device);
      }
      if (this.serial) this.add(new LynxSerialDriver(await this.serial.requestPort(), 9600, this.opts()));
    } catch (err) {
      this.onError(`light tower not connected: ${(err as Error).message}`);
    }
  }

  get connected(): string[] {
    return this.drivers.filter((d) => d.available).map((d) => d.name);
  }

  apply(output: LightOutput): void {
    if (this.last && sameOutput(this.last, output)) return;
    this.last = output;
    this.drivers = this.drivers.filter((d) => d.available);
    for (const d of this.drivers) void d.apply(output);
  }

  private opts() {
    return { onError: (e: Error) => this.onError(`light tower: ${e.message}`) };
  }

  private addHid(device: Parameters<typeof createHidLightDriver>[0]): void {
    const driver = createHidLightDriver(device, this.opts());
    if (driver) this.add(driver);
  }

  private add(driver: LightDriver): void {
    this.drivers.push(driver);
    if (this.last) void driver.apply(this.last);
  }
}
