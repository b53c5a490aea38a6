import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIGHT_CONFIG } from '../../core/lane/lightConfig.ts';
import { FakeHid, FakeHidDevice } from './fakeDevices.ts';
import { PatliteDriver } from './patliteDriver.ts';

const patlite = (): FakeHidDevice => new FakeHidDevice(0x191a, 0x8003, 'LR6-USB');

describe('PatliteDriver', () => {
  it('opens the device once and writes one output report per state', async () => {
    const device = patlite();
    const driver = new PatliteDriver(device);
    for (const state of ['scanning', 'awaitingConfirmation', 'assistanceRequested', 'locked'] as const) {
      await driver.apply(DEFAULT_LIGHT_CONFIG[state]);
    }
    expect(device.opens).toBe(1);
    expect(device.sent).toEqual([
      { kind: 'output', reportId: 0, hex: '0000000000100000' },
      { kind: 'output', reportId: 0, hex: '0000000001000000' },
      { kind: 'output', reportId: 0, hex: '0000000020000000' },
      { kind: 'output', reportId: 0, hex: '0000000030000000' },
    ]);
  });

  it('keeps the order of overlapping applies', async () => {
    const device = patlite();
    const driver = new PatliteDriver(device);
    await Promise.all([
      driver.apply({ color: 'red', pattern: 'flash' }),
      driver.apply({ color: 'green', pattern: 'steady' }),
    ]);
    expect(device.sent.map((s) => s.hex)).toEqual(['0000000020000000', '0000000000100000']);
  });

  it('uses a fitted blue tier', async () => {
    const device = patlite();
    await new PatliteDriver(device, { tiers: { blue: true, white: false } }).apply(
      DEFAULT_LIGHT_CONFIG.offline,
    );
    expect(device.sent[0]?.hex).toBe('0000000000010000');
  });

  it('reports a write error once, does not reject, and recovers', async () => {
    const device = patlite();
    const onError = vi.fn();
    const driver = new PatliteDriver(device, { onError });
    device.failWith = new Error('NotAllowedError: Failed to write the report');
    await expect(driver.apply({ color: 'red', pattern: 'steady' })).resolves.toBeUndefined();
    await driver.apply({ color: 'red', pattern: 'flash' });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(String(onError.mock.calls[0]?.[0])).toContain('Patlite LR6-USB: NotAllowedError');
    device.failWith = null;
    await driver.apply({ color: 'green', pattern: 'steady' });
    expect(driver.available).toBe(true);
    expect(device.sent.map((s) => s.hex)).toEqual(['0000000000100000']);
  });

  it('becomes unavailable when navigator.hid reports it unplugged', async () => {
    const device = patlite();
    const other = patlite();
    const hid = new FakeHid([device, other]);
    const onError = vi.fn();
    const driver = new PatliteDriver(device, { hid, onError });
    hid.unplug(other);
    expect(driver.available).toBe(true);
    hid.unplug(device);
    expect(driver.available).toBe(false);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringContaining('LR6-USB was disconnected') }),
    );
    await driver.apply({ color: 'red', pattern: 'flash' });
    expect(device.sent).toEqual([]);
  });

  it('close switches the tower off, closes the device and stops listening', async () => {
    const device = patlite();
    const hid = new FakeHid([device]);
    const driver = new PatliteDriver(device, { hid });
    await driver.apply({ color: 'red', pattern: 'steady' });
    await driver.close();
    expect(device.sent.at(-1)?.hex).toBe('0000000000000000');
    expect(device.opened).toBe(false);
    expect(hid.listeners.size).toBe(0);
    expect(driver.available).toBe(false);
    await driver.apply({ color: 'green', pattern: 'steady' });
    expect(device.sent).toHaveLength(2);
  });
});
