import { describe, expect, it } from 'vitest';
import { reloadBetweenTransactions } from './swUpdate.ts';

/** A lane whose busy state the test flips, telling listeners as the kiosk's view does. */
function fakeLane(busy: boolean) {
  const listeners = new Set<() => void>();
  const lane = {
    busy: () => busy,
    onIdle: (fn: () => void) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    set(next: boolean) {
      busy = next;
      for (const l of [...listeners]) l();
    },
    listeners,
  };
  return lane;
}

describe('reloadBetweenTransactions', () => {
  it('reloads at once when the lane is idle', () => {
    const lane = fakeLane(false);
    let reloads = 0;
    reloadBetweenTransactions(lane, () => reloads++);
    expect(reloads).toBe(1);
    expect(lane.listeners.size).toBe(0);
  });

  it('holds the reload while a transaction is open, then reloads once when it ends', () => {
    const lane = fakeLane(true);
    let reloads = 0;
    reloadBetweenTransactions(lane, () => reloads++);
    expect(reloads).toBe(0);
    lane.set(true); // a line added: still busy
    expect(reloads).toBe(0);
    lane.set(false);
    expect(reloads).toBe(1);
    lane.set(false);
    expect(reloads).toBe(1);
    expect(lane.listeners.size).toBe(0);
  });
});
