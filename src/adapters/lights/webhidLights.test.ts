import { describe, expect, it } from 'vitest';
import { FakeHid, FakeHidDevice } from './fakeDevices.ts';
import {
  Blink1Driver,
  HID_LIGHT_FILTERS,
  PatliteDriver,
  createHidLightDriver,
  findPairedHidLights,
  hidLightModel,
  requestHidLight,
} from './webhidLights.ts';

const patlite = new FakeHidDevice(0x191a, 0x8003);
const blink1 = new FakeHidDevice(0x27b8, 0x01ed);
const keyboard = new FakeHidDevice(0x046d, 0xc31c);

describe('WebHID light discovery', () => {
  it('filters for both supported devices', () => {
    expect(HID_LIGHT_FILTERS).toEqual([
      { vendorId: 0x191a, productId: 0x8003 },
      { vendorId: 0x27b8, productId: 0x01ed },
    ]);
  });

  it('identifies the model by vendor and product id', () => {
    expect(hidLightModel(patlite)).toBe('patliteLr6');
    expect(hidLightModel(blink1)).toBe('blink1');
    expect(hidLightModel(keyboard)).toBeNull();
    expect(hidLightModel(new FakeHidDevice(0x191a, 0x6001))).toBeNull();
  });

  it('findPairedHidLights returns only granted lights', async () => {
    const hid = new FakeHid([keyboard, blink1, patlite]);
    expect(await findPairedHidLights(hid)).toEqual([blink1, patlite]);
  });

  it('requestHidLight asks with the light filters and returns the chosen light', async () => {
    const hid = new FakeHid([], [patlite]);
    expect(await requestHidLight(hid)).toBe(patlite);
    expect(hid.requested).toEqual({ filters: HID_LIGHT_FILTERS });
  });

  it('requestHidLight returns null when the chooser is cancelled', async () => {
    expect(await requestHidLight(new FakeHid([], []))).toBeNull();
  });

  it('creates the matching driver', () => {
    expect(createHidLightDriver(patlite)).toBeInstanceOf(PatliteDriver);
    expect(createHidLightDriver(blink1)).toBeInstanceOf(Blink1Driver);
    expect(createHidLightDriver(keyboard)).toBeNull();
  });
});
