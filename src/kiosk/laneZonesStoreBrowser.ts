import { openKioskDb, type KioskDb } from '../storage/db.ts';
import { LaneZonesStore } from './laneZonesStore.ts';

/**
 * The browser's LaneZonesStore: localStorage for the local copy, the page's fetch, and the device
 * token from the evidence database (written by enrolment). One store per lane per page, so the
 * calibration screen and the inference worker's wiring share the same zones.
 */
const stores = new Map<string, LaneZonesStore>();
let db: Promise<KioskDb> | null = null;

async function deviceToken(lane: string): Promise<string | undefined> {
  db ??= openKioskDb();
  const device = await (await db).getMeta('device');
  // A token enrolled for another lane would be refused anyway; do not send it.
  return device?.lane === lane ? device.token : undefined;
}

/**
 * The lane's zones store; the first call starts loading (server first, local copy as fallback).
 * Wiring for the tracker: `laneZonesFor(config.lane).zones.subscribe((z) => recorder.setZones(z))`.
 */
export function laneZonesFor(lane: string): LaneZonesStore {
  let store = stores.get(lane);
  if (!store) {
    store = new LaneZonesStore({
      lane,
      baseUrl: location.origin,
      // Bare window.fetch throws "Illegal invocation" when called as a method of another object.
      fetch: (url, init) => fetch(url, init),
      storage: localStorage,
      getToken: () => deviceToken(lane).catch(() => undefined),
      now: () => Date.now(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
    stores.set(lane, store);
    void store.load();
  }
  return store;
}
