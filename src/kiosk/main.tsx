import { render } from 'preact';
import { resolveConfig } from '../config/kioskConfig.ts';
import { loadLocalSettings } from './settingsStore.ts';
import { wireKiosk } from './wiring.ts';
import { registerServiceWorker } from './swUpdate.ts';
import { App } from './App.tsx';
import '../ui/kiosk.css';

async function loadChainConfig(): Promise<unknown> {
  try {
    const res = await fetch('/kiosk-config.json', { cache: 'no-cache' });
    return res.ok ? await res.json() : null;
  } catch {
    // Offline start: the defaults and this device's own settings apply.
    return null;
  }
}

const { config, warnings } = resolveConfig(
  await loadChainConfig(),
  new URLSearchParams(location.search),
  loadLocalSettings(),
);
const kiosk = wireKiosk(config, warnings);
const root = document.getElementById('app')!;
let updateWaiting = false;
const draw = () => render(<App kiosk={kiosk} updateWaiting={updateWaiting} />, root);
draw();
kiosk.controller.publishStatus();

const idleListeners = new Set<() => void>();
kiosk.controller.view.subscribe(() => {
  for (const l of [...idleListeners]) l();
});
registerServiceWorker({
  // Until the relay's history is in, an order open before a reload is not known yet: busy.
  busy: () =>
    !kiosk.controller.historyReplayed ||
    kiosk.controller.isTransactionOpen ||
    kiosk.controller.view.get().prompt !== null,
  onIdle: (fn) => {
    idleListeners.add(fn);
    return () => idleListeners.delete(fn);
  },
  onWaiting: (waiting) => {
    updateWaiting = waiting;
    draw();
  },
  beforeApply: () => kiosk.evidence.quiesce(),
});
// Exposed for the maintenance tools and the end-to-end tests; holds no personal data.
(window as unknown as { laneKiosk: unknown }).laneKiosk = kiosk;
