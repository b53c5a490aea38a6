/**
 * The slice of WebHID and Web Serial that the light drivers use. TypeScript's lib.dom has neither
 * API, and these small structural types let the tests pass plain fakes. Chromium's real objects
 * satisfy them as they are.
 */

export interface HIDDeviceFilter {
  vendorId?: number;
  productId?: number;
  usagePage?: number;
  usage?: number;
}

export interface HIDDevice {
  readonly opened: boolean;
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string;
  open(): Promise<void>;
  close(): Promise<void>;
  sendReport(reportId: number, data: Uint8Array<ArrayBuffer>): Promise<void>;
  sendFeatureReport(reportId: number, data: Uint8Array<ArrayBuffer>): Promise<void>;
}

export interface HIDConnectionEvent {
  readonly device: HIDDevice;
}

/** `navigator.hid`. */
export interface HID {
  getDevices(): Promise<HIDDevice[]>;
  requestDevice(options: { filters: HIDDeviceFilter[] }): Promise<HIDDevice[]>;
  addEventListener(type: 'disconnect', listener: (event: HIDConnectionEvent) => void): void;
  removeEventListener(type: 'disconnect', listener: (event: HIDConnectionEvent) => void): void;
}

/** A Web Serial port (from `navigator.serial.getPorts()` or `requestPort()`). */
export interface SerialPort {
  /** null until opened, and again after a fatal stream error. */
  readonly writable: WritableStream<Uint8Array> | null;
  open(options: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
  addEventListener(type: 'disconnect', listener: () => void): void;
  removeEventListener(type: 'disconnect', listener: () => void): void;
}
