import { describe, expect, it } from 'vitest';
import { assignScans, matchCost, matchInterval } from './matching.ts';
import { resolveConfig } from './config.ts';
import { PosLedger, type ScanRecord } from './posLedger.ts';
import { TrackStore } from './trackStore.ts';
import type { TrackRecord } from './tracks.ts';
import type { PosEvent } from '../pos/events.ts';

const cfg = resolveConfig();

function pass(
  store: TrackStore,
  trackId: number,
  startMs: number,
  endMs: number,
  dwellMs = 300,
): TrackRecord {
  const t = store.apply({
    type: 'itemPassedScanner',
    v: 1,
    trackId,
    fromZone: 'pickup',
    holdingItem: true,
    dwellMs,
    startMs,
    endMs,
    atMs: endMs + 100,
    confidence: 0.9,
  });
  if (!t) throw new Error('no record');
  // A second cue (the gesture): lone detections take part in no matching.
  store.apply({ type: 'scanMotion', v: 1, trackId, startMs, endMs, atMs: endMs + 100, confidence: 0.9 });
  return t;
}

function scans(times: number[]): ScanRecord[] {
  const ledger = new PosLedger();
  times.forEach((ms, i) => {
    const event = {
      type: 'item.added',
      v: 1,
      lane: 'L',
      txn: 'T',
      seq: i + 1,
      at: '',
      line: i + 1,
      gtin: `g${i}`,
      name: 'x',
      unitPrice: 1,
      qty: 1,
    } as PosEvent;
    ledger.apply(event, ms);
  });
  return ledger.scans;
}

describe('matchInterval / matchCost', () => {
  it('opens scanLeadMs before the pass and closes scanMatchWindowMs after it', () => {
    const t = pass(new TrackStore(cfg), 1, 10_000, 10_500);
    expect(matchInterval(t, cfg)).toEqual({
      fromMs: 10_000 - cfg.scanLeadMs,
      toMs: 10_500 + cfg.scanMatchWindowMs,
    });
  });

  it('uses the weighing window for a long rest on the scale', () => {
    const t = pass(new TrackStore(cfg), 1, 10_000, 15_000, 5000);
    expect(matchInterval(t, cfg).toMs).toBe(15_000 + cfg.weighedMatchWindowMs);
  });

  it('costs nothing for a scan during the pass (after POS latency)', () => {
    const t = pass(new TrackStore(cfg), 1, 10_000, 10_500);
    const [inside, late] = scans([10_300 + cfg.posLatencyMs, 12_000]);
    expect(inside && matchCost(t, inside, cfg)).toBe(0);
    expect(late && matchCost(t, late, cfg)).toBe(12_000 - cfg.posLatencyMs - 10_500);
  });
});

describe('assignScans', () => {
  it('gives each scan to the nearest pass even when the earlier pass is waiting', () => {
    const store = new TrackStore(cfg);
    const early = pass(store, 1, 10_000, 10_500);
    const late = pass(store, 2, 11_500, 12_000);
    const [scan] = scans([11_900]);
    assignScans(store.pending(), scan ? [scan] : [], cfg);
    expect(late.scanId).toBe(scan?.id);
    expect(early.scanId).toBeUndefined();
    expect(scan?.heldUnits).toBe(1);
  });

  it('gives no scan to a lone detection, however close', () => {
    const store = new TrackStore(cfg);
    const lone = store.apply({
      type: 'itemMovedPickupToBagging',
      v: 1,
      trackId: 9,
      viaScanner: false,
      startMs: 10_000,
      endMs: 10_500,
      atMs: 10_600,
      confidence: 0.99,
    });
    const list = scans([10_400]);
    assignScans(store.pending(), list, cfg);
    expect(lone?.scanId).toBeUndefined();
    expect(list[0]?.heldUnits).toBe(0);
  });

  it('recomputes from scratch, so a re-run does not double-book a scan', () => {
    const store = new TrackStore(cfg);
    pass(store, 1, 10_000, 10_500);
    const list = scans([10_400]);
    assignScans(store.pending(), list, cfg);
    assignScans(store.pending(), list, cfg);
    expect(list[0]?.heldUnits).toBe(1);
  });
});
