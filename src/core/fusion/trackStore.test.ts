import { describe, expect, it } from 'vitest';
import { anchor, dueMs, trackConfidence, trackKind } from './tracks.ts';
import { TrackStore } from './trackStore.ts';
import { resolveConfig } from './config.ts';
import type { PerceptionEvent } from '../perception/events.ts';

const cfg = resolveConfig();
type Body = PerceptionEvent extends infer E
  ? E extends PerceptionEvent
    ? Omit<E, 'v' | 'atMs' | 'confidence'>
    : never
  : never;
const ev = (body: Body, confidence = 0.8): PerceptionEvent =>
  ({ ...body, v: 1, atMs: body.endMs + 100, confidence }) as PerceptionEvent;

describe('TrackStore', () => {
  it('classifies by the strongest evidence: scanner, bypass, bag only', () => {
    const store = new TrackStore(cfg);
    const a = store.apply(ev({ type: 'scanMotion', trackId: 1, startMs: 0, endMs: 300 }));
    const b = store.apply(
      ev({ type: 'itemMovedPickupToBagging', trackId: 2, viaScanner: true, startMs: 0, endMs: 900 }),
    );
    const c = store.apply(ev({ type: 'itemPlacedInBagging', trackId: 3, startMs: 5000, endMs: 5100 }));
    const d = store.apply(
      ev({ type: 'itemPlacedInBagging', trackId: 4, startMs: 9000, endMs: 9100, fromZone: 'outside' }),
    );
    expect([a, b, c, d].map((t) => t && trackKind(t))).toEqual([
      'scanner',
      'bypass',
      'placementOnly',
      'none',
    ]);
  });

  it('combines independent cues by noisy-OR', () => {
    const store = new TrackStore(cfg);
    store.apply(ev({ type: 'scanMotion', trackId: 1, startMs: 0, endMs: 300 }, 0.8));
    const t = store.apply(
      ev({ type: 'itemMovedPickupToBagging', trackId: 1, viaScanner: true, startMs: 0, endMs: 900 }, 0.5),
    );
    expect(t && trackConfidence(t, cfg)).toBeCloseTo(1 - 0.2 * 0.5, 10);
  });

  it('folds a landing under a new id into the trip that just ended (tracker id switch)', () => {
    const store = new TrackStore(cfg);
    const trip = store.apply(
      ev({ type: 'itemMovedPickupToBagging', trackId: 1, viaScanner: true, startMs: 0, endMs: 900 }),
    );
    const landing = store.apply(ev({ type: 'itemPlacedInBagging', trackId: 7, startMs: 1000, endMs: 1100 }));
    expect(landing).toBe(trip);
    expect(trip?.aliasIds).toEqual([7]);
  });

  it('still links a switched landing whose bag-view appearance arrived first', () => {
    const store = new TrackStore(cfg);
    const trip = store.apply(
      ev({ type: 'itemMovedPickupToBagging', trackId: 1, viaScanner: true, startMs: 0, endMs: 900 }),
    );
    store.apply(
      ev({ type: 'itemAppearance', trackId: 7, startMs: 1000, endMs: 1100, matchGtin: '1', matchScore: 0.9 }),
    );
    const landing = store.apply(ev({ type: 'itemPlacedInBagging', trackId: 7, startMs: 1000, endMs: 1100 }));
    expect(landing).toBe(trip);
    expect(trip?.appearances).toHaveLength(1);
    expect(trip?.placement).toBeDefined();
  });

  it('starts a new presentation when a bagged item comes back to the scanner', () => {
    const store = new TrackStore(cfg);
    const first = store.apply(
      ev({
        type: 'itemPassedScanner',
        trackId: 1,
        fromZone: 'pickup',
        holdingItem: true,
        startMs: 0,
        endMs: 400,
      }),
    );
    store.apply(
      ev({ type: 'itemMovedPickupToBagging', trackId: 1, viaScanner: true, startMs: 0, endMs: 900 }),
    );
    if (first) first.decided = true;
    const second = store.apply(
      ev({
        type: 'itemPassedScanner',
        trackId: 1,
        fromZone: 'pickup',
        holdingItem: true,
        startMs: 9000,
        endMs: 9400,
      }),
    );
    expect(second).not.toBe(first);
    expect(second && anchor(second)).toEqual({ startMs: 9000, endMs: 9400 });
    expect(second && dueMs(second, cfg)).toBe(9400 + cfg.scanMatchWindowMs + cfg.rescanLinkMs);
  });
});
