import type { KioskConfig } from '../config/kioskConfig.ts';

const KEY = 'lane-companion.settings';

/** This device's own choices (language, text size, camera) survive reloads; they never hold personal data. */
export function loadLocalSettings(): Partial<KioskConfig> {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Partial<KioskConfig>) : {};
  } catch {
    return {};
  }
}

export function saveLocalSettings(patch: Partial<KioskConfig>): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...loadLocalSettings(), ...patch }));
  } catch {
    // Storage full or disabled: the setting still applies until the next reload.
  }
}
