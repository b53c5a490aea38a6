import type { HID, HIDConnectionEvent, HIDDevice } from './deviceTypes.ts';
import type { LightDriverOptions } from './lightDriver.ts';

export interface HidDriverOptions extends LightDriverOptions {
  /** `navigator.hid`, to notice the device being unplugged. */
  hid?: HID;
}

/** Opens the device on first use: a policy grant hands it over still closed. */
export async function ensureOpen(device: HIDDevice): Promise<void> {
  if (!device.opened) await device.open();
}

/**
 * Calls `onGone` when `navigator.hid` reports this device removed. WebHID raises the event on
 * `navigator.hid`, not on the device. Returns the function that stops watching.
 */
export function watchHidDisconnect(
  device: HIDDevice,
  hid: HID | undefined,
  onGone: (reason: string) => void,
): () => void {
  if (hid === undefined) return () => undefined;
  const listener = (event: HIDConnectionEvent): void => {
    if (event.device === device) onGone(`${device.productName || 'HID light'} was disconnected`);
  };
  hid.addEventListener('disconnect', listener);
  return () => hid.removeEventListener('disconnect', listener);
}
