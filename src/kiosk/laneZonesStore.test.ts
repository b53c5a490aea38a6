import { describe, expect, it, vi } from 'vitest';
import type { LaneZones, Point } from '../core/lane/zones.ts';
import { LaneZonesStore, type KeyValueStore } from './laneZonesStore.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): Point[] => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
];
const drawn = (): LaneZones['zones'] => ({
  pickup: rect(0.05, 0.5, 0.3, 0.95),
  scanner: rect(0.35, 0.4, 0.6, 0.7),
  bagging: rect(0.65, 0.4, 0.95, 0.8),
});
const TOKEN = 'device-token-secret';

/** A store server double for one lane: GET/PUT /api/lanes/L01/zones, up or down. */
class FakeServer {
  up = true;
  stored: LaneZones | null = null;
  calls: { method: string; auth: string | null }[] = [];
  fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? 'GET';
    const auth = new Headers(init?.headers).get('authorization');
    this.calls.push({ method, auth });
    if (!this.up) throw new TypeError('Failed to fetch');
    const path = method === 'GET' ? '/api/lanes/L01/zones?ifAbsent=empty' : '/api/lanes/L01/zones';
    // A wrong URL answers like the real server's not-found handler, so a test sees a failure, not a fallback.
    if (url !== `http://store.test${path}`) return json(500, { error: 'test', message: `unexpected ${url}` });
    if (auth !== `Bearer ${TOKEN}`) return json(401, { error: 'unauthorized', message: 'unknown token' });
    if (method === 'GET') {
      return this.stored
        ? json(200, { lane: 'L01', zones: this.stored })
        : new Response(null, { status: 204 });
    }
    const body = JSON.parse(String(init?.body)) as LaneZones;
    if (this.stored && Date.parse(this.stored.updatedAt) > Date.parse(body.updatedAt)) {
      return json(409, { error: 'stale-zones', message: 'newer on server', current: { zones: this.stored } });
    }
    this.stored = { ...body, updatedBy: 'dev_1' };
    return json(200, { lane: 'L01', zones: this.stored });
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function setup(opts: { storage?: Map<string, string>; token?: string | undefined; now?: number } = {}) {
  const server = new FakeServer();
  const map = opts.storage ?? new Map<string, string>();
  const storage: KeyValueStore = {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
  };
  const timers: { fn: () => void; ms: number }[] = [];
  let now = opts.now ?? Date.parse('2026-11-22T08:00:00Z');
  const store = new LaneZonesStore({
    lane: 'L01',
    baseUrl: 'http://store.test',
    fetch: server.fetch,
    storage,
    getToken: async () => ('token' in opts ? opts.token : TOKEN),
    now: () => now,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => timers.splice(0),
    random: () => 0.5,
  });
  return { server, store, map, timers, advance: (ms: number) => (now += ms) };
}

describe('LaneZonesStore', () => {
  it('refuses invalid zones without saving or sending anything', async () => {
    const { store, server, map } = setup();
    const result = await store.save({ ...drawn(), scanner: rect(0.4, 0.4, 0.41, 0.41) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ zone: 'scanner', message: /too small/ });
    expect(server.calls).toEqual([]);
    expect(map.size).toBe(0);
    expect(store.zones.get()).toBeNull();
  });

  it('saves to the server with the device token, keeps a synced local copy, and tells the tracker', async () => {
    const { store, server, map } = setup();
    const seen: (LaneZones | null)[] = [];
    store.zones.subscribe((z) => seen.push(z));
    const result = await store.save(drawn());
    expect(result).toMatchObject({ ok: true, synced: true });
    expect(server.calls).toEqual([{ method: 'PUT', auth: `Bearer ${TOKEN}` }]);
    expect(server.stored?.zones).toEqual(drawn());
    expect(store.state.get()).toMatchObject({ sync: 'synced', zones: { updatedBy: 'dev_1' } });
    expect(JSON.parse(map.get('lane-companion.zones.L01')!)).toMatchObject({ synced: true });
    expect(seen.at(-1)?.zones).toEqual(drawn());
    expect(JSON.stringify(store.state.get())).not.toContain(TOKEN);
  });

  it('keeps a save made while the server is down as not synced, retries it, and sends it when back', async () => {
    const { store, server, timers } = setup();
    server.up = false;
    const result = await store.save(drawn());
    expect(result).toMatchObject({
      ok: true,
      synced: false,
      message: /not synced \(the store server is unreachable/,
    });
    expect(store.state.get().sync).toBe('not-synced');
    expect(store.zones.get()?.zones).toEqual(drawn());
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBeGreaterThan(0);
    server.up = true;
    timers.shift()!.fn();
    await expect.poll(() => store.state.get().sync).toBe('synced');
    expect(server.stored?.zones).toEqual(drawn());
  });

  it('loads from the server first, and falls back to the local copy when it is down', async () => {
    const first = setup();
    await first.store.save(drawn());
    const restarted = setup({ storage: first.map });
    restarted.server.stored = first.server.stored;
    await restarted.store.load();
    expect(restarted.store.state.get()).toMatchObject({ sync: 'synced', loading: false });
    expect(restarted.store.state.get().lastError).toBeUndefined();
    expect(restarted.server.calls.map((c) => c.method)).toEqual(['GET']);

    const offline = setup({ storage: first.map });
    offline.server.up = false;
    expect(offline.store.zones.get()?.zones).toEqual(drawn()); // known before the network answers
    await offline.store.load();
    expect(offline.store.state.get()).toMatchObject({ sync: 'synced', lastError: /unreachable/ });
  });

  it('sends a local copy the server lacks (never calibrated there), or one drawn after the server copy', async () => {
    const first = setup();
    first.server.up = false;
    await first.store.save(drawn());
    const later = setup({ storage: first.map });
    await later.store.load();
    expect(later.server.calls.map((c) => c.method)).toEqual(['GET', 'PUT']);
    expect(later.store.state.get()).toMatchObject({ sync: 'synced' });
    expect(later.store.state.get().lastError).toBeUndefined();
    expect(later.server.stored?.zones).toEqual(drawn());
  });

  it('adopts a newer calibration from the server instead of overwriting it (409)', async () => {
    const { store, server } = setup();
    server.stored = {
      v: 1,
      updatedAt: '2026-11-23T00:00:00.000Z',
      zones: { ...drawn(), exit: rect(0.8, 0, 1, 0.3) },
      updatedBy: 'usr_a',
    };
    const result = await store.save(drawn());
    expect(result).toMatchObject({ ok: true, synced: true, message: /newer on server/ });
    expect(store.zones.get()?.updatedBy).toBe('usr_a');
    expect(store.zones.get()?.zones.exit).toBeDefined();
  });

  it('without a token (not enrolled yet) keeps the zones locally and says why', async () => {
    const { store, server } = setup({ token: undefined });
    const result = await store.save(drawn());
    expect(result).toMatchObject({ ok: true, synced: false, message: /not enrolled/ });
    expect(server.calls).toEqual([]);
    await store.load();
    expect(store.state.get()).toMatchObject({ sync: 'not-synced', lastError: /not enrolled/ });
  });

  it('asks the server again after a failed load, so a kiosk enrolled after boot still gets its zones', async () => {
    const opts: { token: string | undefined } = { token: undefined };
    const { store, server, timers } = setup(opts);
    server.stored = { v: 1, zones: drawn(), updatedAt: '2026-11-22T07:00:00.000Z', updatedBy: 'usr_a' };
    await store.load();
    expect(store.state.get()).toMatchObject({ zones: null, sync: 'none', lastError: /not enrolled/ });
    expect(timers).toHaveLength(1);

    opts.token = TOKEN;
    timers.shift()?.fn();
    await vi.waitFor(() => expect(store.zones.get()?.updatedBy).toBe('usr_a'));
    expect(store.state.get()).toMatchObject({ sync: 'synced' });
    expect(store.state.get().lastError).toBeUndefined();
    expect(timers).toEqual([]);
  });

  it('ignores a corrupt local copy', async () => {
    const map = new Map([['lane-companion.zones.L01', '{"zones": {"v": 1, "zones": "oops"}}']]);
    const { store, server } = setup({ storage: map });
    server.up = false;
    await store.load();
    expect(store.state.get()).toMatchObject({ zones: null, sync: 'none' });
  });
});
