import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIGHT_CONFIG } from '../../core/lane/lightConfig.ts';
import { Blink1Driver, type IntervalTimers } from './blink1Driver.ts';
import { FakeHid, FakeHidDevice } from './fakeDevices.ts';

const RED = '6eff000000000000';
const BLACK = '6e00000000000000';
const GREEN = '6e00ff0000000000';
const AMBER = '6eff640000000000';

const blink1 = (): FakeHidDevice => new FakeHidDevice(0x27b8, 0x01ed, 'blink(1) mk2');
const sent = (device: FakeHidDevice): string[] => device.sent.map((s) => s.hex);

describe('Blink1Driver', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends feature report 1 with the set-colour-now command', async () => {
    const device = blink1();
    await new Blink1Driver(device).apply(DEFAULT_LIGHT_CONFIG.idle);
    expect(device.sent).toEqual([{ kind: 'feature', reportId: 1, hex: GREEN }]);
  });

  it('writes a steady colour once, with no timer', async () => {
    const device = blink1();
    await new Blink1Driver(device).apply(DEFAULT_LIGHT_CONFIG.suspectedAnomaly);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent(device)).toEqual([RED]);
  });

  it('flashes at 1 Hz: colour and black every 500 ms', async () => {
    const device = blink1();
    await new Blink1Driver(device).apply(DEFAULT_LIGHT_CONFIG.assistanceRequested);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sent(device)).toEqual([RED, BLACK, RED, BLACK, RED]);
  });

  it('flashes at 3 Hz for fastFlash', async () => {
    const device = blink1();
    await new Blink1Driver(device).apply(DEFAULT_LIGHT_CONFIG.locked);
    await vi.advanceTimersByTimeAsync(1_000);
    // 1000 / 167 = 5 toggles after the first write: three on phases, three off phases.
    expect(sent(device)).toEqual([RED, BLACK, RED, BLACK, RED, BLACK]);
  });

  it('stops flashing when the state turns steady', async () => {
    const device = blink1();
    const driver = new Blink1Driver(device);
    await driver.apply(DEFAULT_LIGHT_CONFIG.paymentFailed);
    await vi.advanceTimersByTimeAsync(500);
    await driver.apply(DEFAULT_LIGHT_CONFIG.scanning);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sent(device)).toEqual([AMBER, BLACK, GREEN]);
  });

  it('does not restart the flash when the same look is applied again', async () => {
    const device = blink1();
    const driver = new Blink1Driver(device);
    await driver.apply(DEFAULT_LIGHT_CONFIG.assistanceRequested);
    await vi.advanceTimersByTimeAsync(400);
    await driver.apply(DEFAULT_LIGHT_CONFIG.assistanceRequested);
    await vi.advanceTimersByTimeAsync(100);
    // Still on the first timer: the toggle lands at 500 ms, with no extra RED write in between.
    expect(sent(device)).toEqual([RED, BLACK]);
  });

  it('uses injected timers', async () => {
    const callbacks: (() => void)[] = [];
    const timers: IntervalTimers = {
      setInterval: vi.fn((callback: () => void) => callbacks.push(callback)),
      clearInterval: vi.fn(),
    };
    const device = blink1();
    const driver = new Blink1Driver(device, { timers });
    await driver.apply({ color: 'blue', pattern: 'flash' });
    expect(timers.setInterval).toHaveBeenCalledWith(expect.any(Function), 500);
    callbacks[0]?.();
    await driver.apply({ color: 'blue', pattern: 'steady' });
    expect(timers.clearInterval).toHaveBeenCalledWith(1);
    expect(sent(device)).toEqual(['6e0000ff00000000', BLACK, '6e0000ff00000000']);
  });

  it('reports a failing device once while flashing and keeps the app running', async () => {
    const device = blink1();
    const onError = vi.fn();
    const driver = new Blink1Driver(device, { onError });
    await driver.apply(DEFAULT_LIGHT_CONFIG.assistanceRequested);
    device.failWith = new Error('write failed');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(onError).toHaveBeenCalledTimes(1);
    device.failWith = null;
    await vi.advanceTimersByTimeAsync(500);
    expect(sent(device).length).toBe(2);
  });

  it('stops writing and flashing after an unplug', async () => {
    const device = blink1();
    const hid = new FakeHid([device]);
    const onError = vi.fn();
    const driver = new Blink1Driver(device, { hid, onError });
    await driver.apply(DEFAULT_LIGHT_CONFIG.locked);
    hid.unplug(device);
    await vi.advanceTimersByTimeAsync(2_000);
    await driver.apply(DEFAULT_LIGHT_CONFIG.idle);
    expect(sent(device)).toEqual([RED]);
    expect(driver.available).toBe(false);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close stops the flash, turns the LED off and closes the device', async () => {
    const device = blink1();
    const driver = new Blink1Driver(device);
    await driver.apply(DEFAULT_LIGHT_CONFIG.locked);
    await driver.close();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sent(device)).toEqual([RED, BLACK]);
    expect(device.opened).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
