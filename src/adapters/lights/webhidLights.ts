/**
 * Finding USB light boxes through WebHID. On a managed kiosk the devices are pre-granted by the
 * Chromium policy WebHidAllowDevicesForUrls, so `getDevices()` returns them without a prompt;
 * `requestHidLight` is the fallback for a technician's one-off pairing (needs a user gesture).
 */
import { BLINK1 } from '../../core/lane/protocols/blink1.ts';
import { PATLITE_LR6_USB } from '../../core/lane/protocols/patlite.ts';
import { Blink1Driver, type Blink1DriverOptions } from './blink1Driver.ts';
import type { HID, HIDDevice, HIDDeviceFilter } from './deviceTypes.ts';
import type { LightDriver } from './lightDriver.ts';
import { PatliteDriver, type PatliteDriverOptions } from './patliteDriver.ts';

export { Blink1Driver } from './blink1Driver.ts';
export { PatliteDriver } from './patliteDriver.ts';

export type HidLightModel = 'patliteLr6' | 'blink1';

const MODELS: readonly {
  model: HidLightModel;
  filter: Required<Pick<HIDDeviceFilter, 'vendorId' | 'productId'>>;
}[] = [
  { model: 'patliteLr6', filter: PATLITE_LR6_USB },
  { model: 'blink1', filter: BLINK1 },
];

export const HID_LIGHT_FILTERS: readonly HIDDeviceFilter[] = MODELS.map(({ filter }) => ({ ...filter }));

export function hidLightModel(device: HIDDevice): HidLightModel | null {
  const match = MODELS.find(
    ({ filter }) => filter.vendorId === device.vendorId && filter.productId === device.productId,
  );
  return match?.model ?? null;
}

/** Already-granted light boxes, in the order Chromium lists them. */
export async function findPairedHidLights(hid: HID): Promise<HIDDevice[]> {
  const devices = await hid.getDevices();
  return devices.filter((device) => hidLightModel(device) !== null);
}

/** Shows Chromium's device chooser limited to supported lights; null if the user cancels. */
export async function requestHidLight(hid: HID): Promise<HIDDevice | null> {
  const devices = await hid.requestDevice({ filters: [...HID_LIGHT_FILTERS] });
  return devices.find((device) => hidLightModel(device) !== null) ?? null;
}

export type HidLightOptions = PatliteDriverOptions & Blink1DriverOptions;

/** The driver for a supported device, or null for anything else. */
export function createHidLightDriver(device: HIDDevice, options: HidLightOptions = {}): LightDriver | null {
  switch (hidLightModel(device)) {
    case 'patliteLr6':
      return new PatliteDriver(device, options);
    case 'blink1':
      return new Blink1Driver(device, options);
    case null:
      return null;
  }
}
