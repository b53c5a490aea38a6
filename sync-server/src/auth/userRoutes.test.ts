import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  bearer,
  deviceToken,
  startHarness,
  storedSecrets,
  userToken,
  type Harness,
} from '../evidence/testing/harness.ts';
import { hashSecret } from './tokens.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const inject = (method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: object) =>
  h.built.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload ? { payload } : {}) });

describe('bearer auth', () => {
  it('answers 401 with a JSON error for a missing, malformed or unknown token', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, bearer('not-a-real-token')]) {
      const res = await h.built.app.inject({ method: 'GET', url: '/api/users', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized' });
      expect(res.json().message).toEqual(expect.any(String));
    }
  });

  it('accepts ADMIN_TOKEN as the bootstrap admin', async () => {
    const res = await inject('GET', '/api/users', ADMIN_TOKEN);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ users: expect.any(Array) });
  });
});

describe('user administration', () => {
  it('creates a user whose token is shown once and stored only as a hash', async () => {
    const res = await inject('POST', '/api/users', ADMIN_TOKEN, { name: 'Li Wei', role: 'lossPrevention' });
    expect(res.statusCode).toBe(201);
    const { id, token } = res.json() as { id: string; token: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await h.services.store.findPrincipalByTokenHash(hashSecret(token))).toMatchObject({
      id,
      role: 'lossPrevention',
    });
    expect(await storedSecrets(h.services.store)).not.toContain(token);
    const list = (await inject('GET', '/api/users', ADMIN_TOKEN)).json() as { users: { id: string }[] };
    expect(list.users.map((u) => u.id)).toContain(id);
    expect(JSON.stringify(list)).not.toContain(token);
  });

  it('lets only admins manage users and issue enrolment codes', async () => {
    for (const role of ['lossPrevention', 'guide']) {
      const token = await userToken(h, role);
      expect((await inject('GET', '/api/users', token)).statusCode).toBe(403);
      expect((await inject('POST', '/api/users', token, { name: 'x', role: 'admin' })).statusCode).toBe(403);
      expect((await inject('POST', '/api/enrolment-codes', token, { lane: 'L01' })).statusCode).toBe(403);
    }
    const device = await deviceToken(h, 'L01');
    const res = await inject('GET', '/api/users', device);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden' });
  });

  it('changes a role, which takes effect on the next request', async () => {
    const created = (
      await inject('POST', '/api/users', ADMIN_TOKEN, { name: 'Guide Two', role: 'guide' })
    ).json();
    expect((await inject('GET', '/api/audit', created.token)).statusCode).toBe(403);
    const res = await inject('PUT', `/api/users/${created.id}/role`, ADMIN_TOKEN, { role: 'admin' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: created.id, role: 'admin' });
    expect((await inject('GET', '/api/audit', created.token)).statusCode).toBe(200);
  });

  it('refuses bad input with clear errors', async () => {
    expect(
      (await inject('POST', '/api/users', ADMIN_TOKEN, { name: 'x', role: 'device' })).json(),
    ).toMatchObject({
      error: 'invalid',
    });
    expect((await inject('POST', '/api/users', ADMIN_TOKEN, { name: '', role: 'guide' })).statusCode).toBe(
      400,
    );
    expect((await inject('PUT', '/api/users/nope/role', ADMIN_TOKEN, { role: 'guide' })).statusCode).toBe(
      404,
    );
    await deviceToken(h, 'L09');
    const listed = (await inject('GET', '/api/users', ADMIN_TOKEN)).json() as {
      users: { id: string; kind: string }[];
    };
    const device = listed.users.find((u) => u.kind === 'device');
    const res = await inject('PUT', `/api/users/${device!.id}/role`, ADMIN_TOKEN, { role: 'admin' });
    expect(res.statusCode).toBe(409);
    expect((await inject('POST', '/api/enrolment-codes', ADMIN_TOKEN, { lane: '../x' })).statusCode).toBe(
      400,
    );
    expect(
      (await inject('POST', '/api/enrolment-codes', ADMIN_TOKEN, { lane: 'L1', ttlMinutes: 0 })).statusCode,
    ).toBe(400);
  });

  it('issues enrolment codes of 8+ characters that are stored hashed', async () => {
    const res = await inject('POST', '/api/enrolment-codes', ADMIN_TOKEN, { lane: 'L03', ttlMinutes: 5 });
    expect(res.statusCode).toBe(201);
    const { code, expiresAt } = res.json() as { code: string; expiresAt: string };
    expect(code.replace(/-/g, '').length).toBeGreaterThanOrEqual(8);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000);
    const plain = code.replace(/-/g, '');
    expect(await storedSecrets(h.services.store)).not.toContain(plain);
    // Stored under its hash: consuming by hash finds it (once).
    expect(await h.services.store.consumeEnrolmentCode(hashSecret(plain), new Date().toISOString())).toBe(
      'L03',
    );
  });
});
