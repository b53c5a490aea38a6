import { Workbox } from 'workbox-window';

export interface UpdateGate {
  /** True while a transaction is open or a prompt is pending: never swap versions then. */
  busy: () => boolean;
  /** Called when the busy state may have changed. */
  onIdle: (fn: () => void) => () => void;
  onWaiting: (waiting: boolean) => void;
  /**
   * Runs once the lane is idle, before the new version is told to take over: ends the vision
   * worker cleanly (its last clip handed over) rather than killing it with the reload.
   */
  beforeApply: () => Promise<void>;
}

/**
 * Reloads onto the new version now if the lane is idle, else as soon as it is. Chromium can take
 * over late: a skip-waiting worker waits until the old one is idle, at most 5 minutes, by which
 * time the next shopper may be scanning.
 */
export function reloadBetweenTransactions(
  gate: Pick<UpdateGate, 'busy' | 'onIdle'>,
  reload: () => void,
): void {
  if (!gate.busy()) {
    reload();
    return;
  }
  const stop = gate.onIdle(() => {
    if (gate.busy()) return;
    stop();
    reload();
  });
}

/**
 * Registers the service worker and applies a new version only between transactions: the waiting
 * worker is told to skip waiting when the lane is idle, and the page reloads once it controls.
 */
export function registerServiceWorker(gate: UpdateGate): Workbox | null {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return null;
  const wb = new Workbox('/sw.js');
  let stopWatching: (() => void) | null = null;
  let applying = false;
  const apply = async () => {
    const waiting = (await navigator.serviceWorker.getRegistration())?.waiting;
    if (!waiting) {
      applying = false;
      return;
    }
    console.info('applying the waiting app version: the lane is idle');
    await gate.beforeApply().catch(() => undefined);
    // controllerchange is the browser's own signal that the new worker took over; reload once onto it.
    navigator.serviceWorker.addEventListener(
      'controllerchange',
      () => reloadBetweenTransactions(gate, () => window.location.reload()),
      { once: true },
    );
    waiting.postMessage({ type: 'SKIP_WAITING' });
  };
  const tryApply = () => {
    if (applying || gate.busy()) return;
    applying = true;
    stopWatching?.();
    stopWatching = null;
    void apply();
  };
  wb.addEventListener('waiting', () => {
    gate.onWaiting(true);
    stopWatching ??= gate.onIdle(tryApply);
    tryApply();
  });
  void wb.register().catch((err: Error) => console.warn(`service worker not registered: ${err.message}`));
  // Lanes run for weeks without a reload; look for a new version every few minutes.
  setInterval(() => void wb.update().catch(() => undefined), 5 * 60_000);
  return wb;
}
