import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ENROL_CODE } from '../../../src/core/evidence/syncApi.ts';
import { ADMIN_TOKEN, bearer, startHarness, type Harness } from '../evidence/testing/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function issue(lane: string): Promise<string> {
  const res = await h!.built.app.inject({
    method: 'POST',
    url: '/api/enrolment-codes',
    headers: bearer(ADMIN_TOKEN),
    payload: { lane },
  });
  return (res.json() as { code: string }).code;
}

const enrol = (code: string, lane: string, ip = '10.0.0.1') =>
  h!.built.app.inject({
    method: 'POST',
    url: '/api/devices/enrol',
    payload: { code, lane },
    remoteAddress: ip,
  });

describe('POST /api/devices/enrol', () => {
  it('trades a one-time code for a device token bound to its lane, and refuses the code a second time', async () => {
    h = await startHarness({ DEMO: '0' });
    const code = await issue('L01');
    const res = await enrol(code.toLowerCase(), 'L01');
    expect(res.statusCode).toBe(201);
    const body = res.json() as { deviceId: string; lane: string; token: string };
    expect(body).toEqual({
      deviceId: expect.stringMatching(/^dev_/),
      lane: 'L01',
      token: expect.any(String),
    });
    const device = await h.services.store.findPrincipalByTokenHash(
      (await import('../auth/tokens.ts')).hashSecret(body.token),
    );
    expect(device).toMatchObject({ id: body.deviceId, kind: 'device', role: 'device', lane: 'L01' });

    const again = await enrol(code, 'L01');
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({ error: 'bad-code', message: expect.stringContaining('used') });
  });

  it('refuses a code issued for another lane (and spends it)', async () => {
    h = await startHarness({ DEMO: '0' });
    const code = await issue('L02');
    const res = await enrol(code, 'L05');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'wrong-lane' });
    expect((await enrol(code, 'L02')).statusCode).toBe(403);
  });

  it('accepts the demo code only in demo mode', async () => {
    h = await startHarness({ DEMO: '0' });
    const off = await enrol(DEMO_ENROL_CODE, 'L01');
    expect(off.statusCode).toBe(403);
    expect(off.json().message).toMatch(/demo mode/);
    await h.close();

    h = await startHarness({ DEMO: '1' });
    const first = await enrol(DEMO_ENROL_CODE, 'L01');
    const second = await enrol('demo', 'L02');
    expect(first.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ lane: 'L02' });
    expect(first.json().token).not.toBe(second.json().token);
  });

  it('rate-limits wrong codes per client address', async () => {
    h = await startHarness({ DEMO: '0' });
    for (let i = 0; i < 10; i++) expect((await enrol('WRONG-CODE', 'L01', '10.0.0.7')).statusCode).toBe(403);
    const blocked = await enrol('WRONG-CODE', 'L01', '10.0.0.7');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json()).toMatchObject({ error: 'too-many-attempts' });
    // Even a valid code waits out the block from that address; another address is unaffected.
    const code = await issue('L01');
    expect((await enrol(code, 'L01', '10.0.0.7')).statusCode).toBe(429);
    expect((await enrol(code, 'L01', '10.0.0.8')).statusCode).toBe(201);
  });

  it('rejects a malformed request with a clear error', async () => {
    h = await startHarness({ DEMO: '0' });
    expect((await enrol('x', '../../etc')).json()).toMatchObject({ error: 'bad-lane' });
    const res = await h.built.app.inject({
      method: 'POST',
      url: '/api/devices/enrol',
      payload: { lane: 'L01' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid' });
  });
});
