/**
 * Test doubles for the light drivers: fake HID devices and serial ports that record every byte
 * written and can be told to fail or be unplugged. Shared by the *.test.ts files beside them;
 * nothing in the app imports this.
 */
import type { HID, HIDConnectionEvent, HIDDevice, SerialPort } from './deviceTypes.ts';

export const hex = (bytes: Uint8Array): string =>
  [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

export interface SentReport {
  kind: 'output' | 'feature';
  reportId: number;
  hex: string;
}

export class FakeHidDevice implements HIDDevice {
  opened = false;
  opens = 0;
  readonly sent: SentReport[] = [];
  /** Set to make the next writes reject with this error. */
  failWith: Error | null = null;

  constructor(
    readonly vendorId: number,
    readonly productId: number,
    readonly productName = 'fake light',
  ) {}

  async open(): Promise<void> {
    this.opens += 1;
    this.opened = true;
  }

  async close(): Promise<void> {
    this.opened = false;
  }

  async sendReport(reportId: number, data: Uint8Array<ArrayBuffer>): Promise<void> {
    this.#record('output', reportId, data);
  }

  async sendFeatureReport(reportId: number, data: Uint8Array<ArrayBuffer>): Promise<void> {
    this.#record('feature', reportId, data);
  }

  #record(kind: SentReport['kind'], reportId: number, data: Uint8Array): void {
    if (!this.opened) throw new Error('device is not open');
    if (this.failWith !== null) throw this.failWith;
    this.sent.push({ kind, reportId, hex: hex(data) });
  }
}

export class FakeHid implements HID {
  readonly listeners = new Set<(event: HIDConnectionEvent) => void>();
  requested: unknown = null;

  constructor(
    private readonly devices: HIDDevice[],
    private readonly chosen: HIDDevice[] = [],
  ) {}

  async getDevices(): Promise<HIDDevice[]> {
    return [...this.devices];
  }

  async requestDevice(options: { filters: unknown[] }): Promise<HIDDevice[]> {
    this.requested = options;
    return [...this.chosen];
  }

  addEventListener(_type: 'disconnect', listener: (event: HIDConnectionEvent) => void): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: 'disconnect', listener: (event: HIDConnectionEvent) => void): void {
    this.listeners.delete(listener);
  }

  unplug(device: HIDDevice): void {
    for (const listener of this.listeners) listener({ device });
  }
}

export class FakeSerialPort implements SerialPort {
  writable: WritableStream<Uint8Array> | null = null;
  readonly written: string[] = [];
  openedWith: { baudRate: number } | null = null;
  opens = 0;
  closed = false;
  failWith: Error | null = null;
  readonly #listeners = new Set<() => void>();

  async open(options: { baudRate: number }): Promise<void> {
    if (this.writable !== null) throw new Error('port is already open');
    this.opens += 1;
    this.openedWith = options;
    this.writable = this.#stream();
  }

  async close(): Promise<void> {
    if (this.writable?.locked) throw new Error('cannot close a locked stream');
    this.closed = true;
    this.writable = null;
  }

  addEventListener(_type: 'disconnect', listener: () => void): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: 'disconnect', listener: () => void): void {
    this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  unplug(): void {
    for (const listener of this.#listeners) listener();
  }

  #stream(): WritableStream<Uint8Array> {
    return new WritableStream<Uint8Array>({
      write: (chunk) => {
        if (this.failWith !== null) {
          // Like Chromium after a fatal write error: the stream is gone until reopened.
          this.writable = null;
          throw this.failWith;
        }
        this.written.push(hex(chunk));
      },
    });
  }
}
