import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIGHT_CONFIG } from '../../core/lane/lightConfig.ts';
import { FakeSerialPort } from './fakeDevices.ts';
import { LynxSerialDriver } from './serialLights.ts';

describe('LynxSerialDriver', () => {
  it('opens the port at 9600 baud once and writes one frame per state', async () => {
    const port = new FakeSerialPort();
    const driver = new LynxSerialDriver(port);
    for (const state of ['idle', 'awaitingConfirmation', 'paymentFailed', 'offline', 'locked'] as const) {
      await driver.apply(DEFAULT_LIGHT_CONFIG[state]);
    }
    expect(port.openedWith).toEqual({ baudRate: 9600 });
    expect(port.opens).toBe(1);
    expect(port.written).toEqual(['5904fea5', '5904de86', '5904dd64', '5904ee38', '5904dd64']);
  });

  it('uses the baud rate given', async () => {
    const port = new FakeSerialPort();
    await new LynxSerialDriver(port, 19200).apply({ color: 'off', pattern: 'steady' });
    expect(port.openedWith).toEqual({ baudRate: 19200 });
    expect(port.written).toEqual(['5904fffb']);
  });

  it('uses a port the app already opened', async () => {
    const port = new FakeSerialPort();
    await port.open({ baudRate: 9600 });
    await new LynxSerialDriver(port).apply({ color: 'green', pattern: 'flash' });
    expect(port.opens).toBe(1);
    expect(port.written).toEqual(['5904fd47']);
  });

  it('reports a write error without rejecting, then reopens the port and carries on', async () => {
    const port = new FakeSerialPort();
    const onError = vi.fn();
    const driver = new LynxSerialDriver(port, 9600, { onError });
    await driver.apply(DEFAULT_LIGHT_CONFIG.idle);
    port.failWith = new Error('The device has been lost.');
    await expect(driver.apply(DEFAULT_LIGHT_CONFIG.locked)).resolves.toBeUndefined();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(String(onError.mock.calls[0]?.[0])).toContain('LYNX serial light: The device has been lost.');
    port.failWith = null;
    await driver.apply(DEFAULT_LIGHT_CONFIG.locked);
    expect(port.opens).toBe(2);
    expect(port.written).toEqual(['5904fea5', '5904dd64']);
    expect(driver.available).toBe(true);
  });

  it('on disconnect marks itself unavailable, reports once and writes nothing more', async () => {
    const port = new FakeSerialPort();
    const onError = vi.fn();
    const driver = new LynxSerialDriver(port, 9600, { onError });
    await driver.apply(DEFAULT_LIGHT_CONFIG.scanning);
    port.unplug();
    port.unplug();
    expect(driver.available).toBe(false);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(String(onError.mock.calls[0]?.[0])).toContain('disconnected');
    await driver.apply(DEFAULT_LIGHT_CONFIG.assistanceRequested);
    expect(port.written).toEqual(['5904fea5']);
    // The writer lock was released, so the app can still close the port.
    await expect(port.close()).resolves.toBeUndefined();
  });

  it('close writes OFF, releases the writer, closes the port and stops listening', async () => {
    const port = new FakeSerialPort();
    const onError = vi.fn();
    const driver = new LynxSerialDriver(port, 9600, { onError });
    await driver.apply(DEFAULT_LIGHT_CONFIG.locked);
    await driver.close();
    expect(port.written).toEqual(['5904dd64', '5904fffb']);
    expect(port.closed).toBe(true);
    expect(port.listenerCount).toBe(0);
    expect(onError).not.toHaveBeenCalled();
  });

  it('close after a disconnect does not throw', async () => {
    const port = new FakeSerialPort();
    const onError = vi.fn();
    const driver = new LynxSerialDriver(port, 9600, { onError });
    await driver.apply(DEFAULT_LIGHT_CONFIG.idle);
    port.unplug();
    await expect(driver.close()).resolves.toBeUndefined();
    expect(port.written).toEqual(['5904fea5']);
  });
});
