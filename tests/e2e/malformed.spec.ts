import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { postPos, posEvents } from './support/relay.ts';

test.describe('malformed, duplicate and out-of-order POS input', () => {
  test('relay: bad events are refused with clear errors and shown on the lane; good ones still apply', async ({
    page,
    request,
  }) => {
    const lane = 'M01';
    const kiosk = new KioskPage(page);
    await kiosk.open(lane);
    await kiosk.waitOnline();
    const e = posEvents(lane, 'T-m1');
    const start = e.started();
    const good = e.added(1, '6901234567892', 'Milk', 500);
    const bad = { ...e.added(2, '6920202888883', 'Bread', 1000), unitPrice: 'cheap' };
    const res = await postPos(request, lane, [start, good, bad, { hello: 'world' }]);
    expect(res.status()).toBe(202);
    const body = await res.json();
    expect(body.accepted).toEqual([start.seq, good.seq]);
    expect(body.rejected).toHaveLength(2);
    expect(body.rejected[0].errors.join(' ')).toMatch(/unitPrice/);
    await expect(kiosk.activeLines()).toHaveCount(1);
    await expect(kiosk.diagnostics).toContainText('unitPrice');

    // Sending the same event again is harmless.
    const dup = await postPos(request, lane, good);
    expect((await dup.json()).duplicates).toEqual([good.seq]);
    await expect(kiosk.activeLines()).toHaveCount(1);

    const notJson = await request.post(`/api/lanes/${lane}/pos-events`, {
      data: Buffer.from('{not json'),
      headers: { authorization: 'Bearer e2e-token', 'content-type': 'application/json' },
    });
    expect(notJson.status()).toBe(400);
    expect((await notJson.json()).message).toBeTruthy();

    const unauth = await postPos(request, lane, good, 'wrong-token');
    expect(unauth.status()).toBe(401);
  });

  test('BroadcastChannel: garbage, unknown types and a gap are reconciled without losing events', async ({
    page,
  }) => {
    const lane = 'M02';
    const kiosk = new KioskPage(page);
    await kiosk.open(lane);
    const e = posEvents(lane, 'T-m2');
    const evs = [
      e.started(),
      e.added(1, '6901234567892', 'Milk', 500),
      e.added(2, '6920202888883', 'Bread', 1000),
    ];
    await page.evaluate(
      ([events]) => {
        const ch = new BroadcastChannel('lane-pos');
        ch.postMessage({ source: 'lane-pos', events: [null, 42, 'x', { v: 1, type: 'teleport' }] });
        ch.postMessage({ source: 'lane-pos', event: events![0] });
        ch.postMessage({ source: 'lane-pos', event: events![2] }); // arrives before its predecessor
        ch.postMessage({ source: 'lane-pos', event: events![1] });
        ch.close();
      },
      [evs],
    );
    await expect(kiosk.activeLines()).toHaveCount(2);
    await expect(kiosk.lines().nth(0)).toContainText('Milk');
    await expect(kiosk.diagnostics.locator('[data-code="unknown-type"]')).toHaveCount(1);
    await expect(kiosk.diagnostics.locator('[data-code="invalid"]').first()).toBeVisible();
  });

  test('window.postMessage from the embedding POS is accepted', async ({ page }) => {
    const lane = 'M03';
    const kiosk = new KioskPage(page);
    await kiosk.open(lane);
    const e = posEvents(lane, 'T-m3');
    await page.evaluate(
      ([events]) => window.postMessage({ source: 'lane-pos', events }, window.location.origin),
      [[e.started(), e.added(1, '6901234567892', 'Milk', 500)]],
    );
    await expect(kiosk.activeLines()).toHaveCount(1);
  });
});
