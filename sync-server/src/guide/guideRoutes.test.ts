import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';

const ADMIN = 'guide-admin';
const AUTH = { authorization: `Bearer ${ADMIN}` };
let dir: string;
let built: App;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-'));
  built = await buildApp(loadConfig({ DATA_DIR: dir, ADMIN_TOKEN: ADMIN, DIST_DIR: path.join(dir, 'none') }));
});
afterEach(async () => {
  await built.app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('lane status for the guide wall', () => {
  it('stores a valid status, lists it, and keeps it across a restart', async () => {
    const put = await built.app.inject({
      method: 'PUT',
      url: '/api/lanes/L03/status',
      headers: AUTH,
      payload: {
        state: 'awaitingConfirmation',
        light: { color: 'amber', pattern: 'steady' },
        prompt: { kind: 'itemVoided', shownAt: '2026-11-22T08:00:00Z' },
        at: '2026-11-22T08:00:00Z',
      },
    });
    expect(put.statusCode).toBe(204);
    const list = (await built.app.inject({ url: '/api/lanes', headers: AUTH })).json();
    expect(list.lanes).toEqual([expect.objectContaining({ lane: 'L03', state: 'awaitingConfirmation' })]);
    await built.app.close();
    built = await buildApp(
      loadConfig({ DATA_DIR: dir, ADMIN_TOKEN: ADMIN, DIST_DIR: path.join(dir, 'none') }),
    );
    expect(built.board.all().map((s) => s.lane)).toEqual(['L03']);
  });

  it('rejects unknown states, colours and bad dates', async () => {
    const bad = async (payload: object) =>
      (await built.app.inject({ method: 'PUT', url: '/api/lanes/L03/status', headers: AUTH, payload }))
        .statusCode;
    expect(
      await bad({
        state: 'dancing',
        light: { color: 'green', pattern: 'steady' },
        at: '2026-11-22T08:00:00Z',
      }),
    ).toBe(422);
    expect(
      await bad({ state: 'idle', light: { color: 'pink', pattern: 'steady' }, at: '2026-11-22T08:00:00Z' }),
    ).toBe(422);
    expect(await bad({ state: 'idle', light: { color: 'green', pattern: 'steady' }, at: 'yesterday' })).toBe(
      422,
    );
  });

  it('serves the kiosk config from the data dir, and {} when there is none', async () => {
    expect((await built.app.inject({ url: '/kiosk-config.json' })).json()).toEqual({});
    fs.writeFileSync(path.join(dir, 'kiosk-config.json'), JSON.stringify({ lang: 'en' }));
    expect((await built.app.inject({ url: '/kiosk-config.json' })).json()).toEqual({ lang: 'en' });
  });
});
