import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';

const TOKEN = 'test-token';
const ADMIN = 'relay-admin';
let dir: string;

/**
 * The relay alone: the admin token opens lane streams without a database, and evidence storage
 * (which takes seconds to create) is left unavailable on purpose.
 */
function buildRelayApp(): Promise<App> {
  return buildApp(
    loadConfig({ DATA_DIR: dir, POS_TOKEN: TOKEN, ADMIN_TOKEN: ADMIN, DIST_DIR: path.join(dir, 'none') }),
    { evidence: { open: () => Promise.reject(new Error('not needed by relay tests')) } },
  );
}
let built: App;

function ev(seq: number, type: string, extra: Record<string, unknown> = {}) {
  return { v: 1, lane: 'L01', txn: 'T1', seq, at: '2026-11-22T08:00:00.000Z', type, ...extra };
}
const add = (seq: number, line: number) =>
  ev(seq, 'item.added', { line, gtin: '6901234567892', name: '牛奶', unitPrice: 500, qty: 1 });

async function post(body: unknown, token = TOKEN, lane = 'L01') {
  return built.app.inject({
    method: 'POST',
    url: `/api/lanes/${lane}/pos-events`,
    headers: { authorization: `Bearer ${token}` },
    payload: body as object,
  });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-'));
  built = await buildRelayApp();
});
afterEach(async () => {
  await built.app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('POST /api/lanes/:lane/pos-events', () => {
  it('refuses a missing or wrong token', async () => {
    expect((await post(ev(1, 'transaction.started'), 'nope')).statusCode).toBe(401);
    const res = await built.app.inject({ method: 'POST', url: '/api/lanes/L01/pos-events', payload: {} });
    expect(res.statusCode).toBe(401);
  });

  it('accepts one event or a batch, reports duplicates and rejects bad ones with reasons', async () => {
    const first = await post(ev(1, 'transaction.started'));
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ accepted: [1], duplicates: [], rejected: [] });
    const batch = await post([
      ev(1, 'transaction.started'),
      add(2, 1),
      { ...add(3, 2), qty: -1 },
      ev(4, 'warp.drive'),
    ]);
    expect(batch.statusCode).toBe(202);
    const body = batch.json();
    expect(body.accepted).toEqual([2]);
    expect(body.duplicates).toEqual([1]);
    expect(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [2, 'invalid'],
      [3, 'unknown-type'],
    ]);
  });

  it('rejects a seq reused for a different event, an event for another lane, and a bad lane id', async () => {
    await post(add(1, 1));
    const conflict = await post(add(1, 2));
    expect(conflict.statusCode).toBe(422);
    expect(conflict.json().rejected[0].code).toBe('conflict');
    const wrongLane = await post({ ...add(2, 2), lane: 'L02' });
    expect(wrongLane.json().rejected[0].code).toBe('wrong-lane');
    expect((await post(add(3, 3), TOKEN, '..%2F..%2Fetc')).statusCode).toBe(400);
  });

  it('rejects a body over the size limit and non-JSON with clear errors', async () => {
    const huge = await built.app.inject({
      method: 'POST',
      url: '/api/lanes/L01/pos-events',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    const bad = await built.app.inject({
      method: 'POST',
      url: '/api/lanes/L01/pos-events',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: '{oops',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/JSON/i);
  });
});

describe('kiosk stream', () => {
  it('replays events after the given seq, then delivers live ones, and survives a server restart', async () => {
    await post([ev(1, 'transaction.started'), add(2, 1), add(3, 2)]);
    const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
    const received: { kind: string; event?: { seq: number } }[] = [];
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/lanes/L01/stream?since=1`, [
      'lane-relay.v1',
      `bearer.${ADMIN}`,
    ]);
    ws.on('message', (data) => received.push(JSON.parse(String(data))));
    await new Promise((r) => ws.on('open', r));
    await expect.poll(() => received.length).toBe(3);
    expect(received[0]).toEqual({ kind: 'hello', lane: 'L01', lastSeq: 3 });
    await post(add(4, 3));
    await expect.poll(() => received.map((m) => m.event?.seq)).toEqual([undefined, 2, 3, 4]);
    ws.close();
    await built.app.close();

    built = await buildRelayApp();
    expect(
      built.hub
        .log('L01')
        .since(0)
        .map((e) => e.seq),
    ).toEqual([1, 2, 3, 4]);
  });
});
