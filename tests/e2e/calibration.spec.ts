import type { APIRequestContext } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { CalibrationPage, type NormPoint } from './pages/CalibrationPage.ts';

const ADMIN = { authorization: 'Bearer e2e-admin' };

interface StoredZones {
  lane: string;
  updatedBy: string;
  zones: { v: 1; updatedAt: string; zones: Record<string, NormPoint[]> };
}

/** Opens the kiosk for `lane`, waits for it to be enrolled (demo code), and opens calibration. */
async function openCalibration(page: KioskPage['page'], lane: string): Promise<CalibrationPage> {
  const kiosk = new KioskPage(page);
  await kiosk.open(lane);
  const calibration = new CalibrationPage(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('maintenance-device')).toHaveText(/^dev_/, { timeout: 30_000 });
  await page.getByTestId('open-calibration').click();
  await expect(calibration.root).toBeVisible();
  await calibration.waitLiveVideo();
  return calibration;
}

async function drawAll(c: CalibrationPage): Promise<void> {
  await c.drawRect('pickup', { x: 0.05, y: 0.55 }, { x: 0.3, y: 0.95 });
  await c.drawRect('scanner', { x: 0.35, y: 0.35 }, { x: 0.6, y: 0.7 });
  await c.drawRect('bagging', { x: 0.65, y: 0.35 }, { x: 0.95, y: 0.85 });
  await c.drawRect('exit', { x: 0.8, y: 0.02 }, { x: 0.98, y: 0.25 });
}

async function serverZones(request: APIRequestContext, lane: string): Promise<StoredZones | null> {
  const res = await request.get(`/api/lanes/${lane}/zones`, { headers: ADMIN });
  if (res.status() === 404) return null;
  expect(res.status()).toBe(200);
  return (await res.json()) as StoredZones;
}

async function deviceToken(request: APIRequestContext, lane: string): Promise<string> {
  const res = await request.post('/api/devices/enrol', { data: { code: 'DEMO', lane } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

function expectClose(actual: NormPoint[], expected: NormPoint[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((p, i) => {
    expect(p.x).toBeCloseTo(expected[i]!.x, 2);
    expect(p.y).toBeCloseTo(expected[i]!.y, 2);
  });
}

test.describe('lane calibration', () => {
  test.setTimeout(120_000);

  test('an installer draws every zone on the live video, saves, and finds them on the server and after a reload', async ({
    page,
    request,
  }) => {
    const c = await openCalibration(page, 'C01');
    await expect(c.sync).toHaveAttribute('data-sync', 'none');
    await drawAll(c);
    // Adjust the scanner's bottom-right corner by hand.
    await c.dragCorner('scanner', 2, { x: 0.62, y: 0.72 });
    const drawn = {
      pickup: await c.points('pickup'),
      scanner: await c.points('scanner'),
      bagging: await c.points('bagging'),
      exit: await c.points('exit'),
    };
    expectClose(drawn.scanner, [
      { x: 0.35, y: 0.35 },
      { x: 0.6, y: 0.35 },
      { x: 0.62, y: 0.72 },
      { x: 0.35, y: 0.7 },
    ]);
    await c.save();
    await expect(c.message).toHaveText(/Saved and sent to the store server/);
    await expect(c.sync).toHaveAttribute('data-sync', 'synced');

    const stored = await serverZones(request, 'C01');
    expect(stored?.updatedBy).toMatch(/^dev_/);
    for (const name of ['pickup', 'scanner', 'bagging', 'exit'] as const) {
      expectClose(stored!.zones.zones[name]!, drawn[name]);
    }
    // The token never shows on the screen.
    const token = await page.evaluate(async () => {
      const open = indexedDB.open('lane-evidence');
      const db = await new Promise<IDBDatabase>((resolve) => (open.onsuccess = () => resolve(open.result)));
      const row = await new Promise<{ value: { token: string } }>((resolve) => {
        const req = db.transaction('meta').objectStore('meta').get('device');
        req.onsuccess = () => resolve(req.result as { value: { token: string } });
      });
      db.close();
      return row.value.token;
    });
    expect(await page.locator('body').innerText()).not.toContain(token);

    await page.reload();
    const again = new CalibrationPage(page);
    await again.open();
    await expect(again.sync).toHaveAttribute('data-sync', 'synced');
    for (const name of ['pickup', 'scanner', 'bagging', 'exit'] as const) {
      await expect(again.zone(name)).toBeVisible();
      expectClose(await again.points(name), drawn[name]);
    }
  });

  test('a degenerate zone is refused with a clear message, and nothing is sent', async ({
    page,
    request,
  }) => {
    const c = await openCalibration(page, 'C02');
    await drawAll(c);
    await c.drawRect('scanner', { x: 0.4, y: 0.4 }, { x: 0.42, y: 0.42 });
    await c.save();
    await expect(c.problems).toBeVisible();
    await expect(c.problems).toHaveAttribute('role', 'alert');
    await expect(c.problems).toContainText(/Scanner zone is too small or flat \(0\.0\d+ % of the image/);
    expect(await serverZones(request, 'C02')).toBeNull();

    // Clearing a required zone names it too.
    await page.getByTestId('zone-pick-bagging').click();
    await page.getByTestId('zones-clear').click();
    await c.save();
    await expect(c.problems).toContainText('Bagging zone is missing: draw it on the video.');
  });

  test('a save while the server cannot be reached stays on the kiosk as not synced, and goes up later', async ({
    page,
    request,
    consoleGuard,
  }) => {
    consoleGuard.allow(/Failed to load resource|net::ERR_FAILED/);
    const c = await openCalibration(page, 'C03');
    await drawAll(c);
    await page.route('**/api/lanes/C03/zones*', (route) => route.abort('failed'));
    await c.save();
    await expect(c.message).toHaveText(/Saved on this kiosk but not synced/);
    await expect(c.sync).toHaveAttribute('data-sync', 'not-synced');
    expect(await serverZones(request, 'C03')).toBeNull();

    await page.unroute('**/api/lanes/C03/zones*');
    await c.save();
    await expect(c.sync).toHaveAttribute('data-sync', 'synced');
    expect((await serverZones(request, 'C03'))?.zones.zones.scanner).toHaveLength(4);
  });

  test("the server refuses another lane's device token and an invalid body", async ({ request }) => {
    const body = {
      v: 1,
      updatedAt: new Date().toISOString(),
      zones: {
        pickup: [
          { x: 0.1, y: 0.5 },
          { x: 0.3, y: 0.5 },
          { x: 0.3, y: 0.9 },
          { x: 0.1, y: 0.9 },
        ],
        scanner: [
          { x: 0.4, y: 0.4 },
          { x: 0.6, y: 0.4 },
          { x: 0.6, y: 0.7 },
          { x: 0.4, y: 0.7 },
        ],
        bagging: [
          { x: 0.7, y: 0.4 },
          { x: 0.9, y: 0.4 },
          { x: 0.9, y: 0.8 },
          { x: 0.7, y: 0.8 },
        ],
      },
    };
    const other = await deviceToken(request, 'C05');
    const foreign = await request.put('/api/lanes/C04/zones', {
      headers: { authorization: `Bearer ${other}` },
      data: body,
    });
    expect(foreign.status()).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: 'wrong-lane' });
    expect(
      (await request.get('/api/lanes/C04/zones', { headers: { authorization: `Bearer ${other}` } })).status(),
    ).toBe(403);

    const own = await deviceToken(request, 'C04');
    const invalid = await request.put('/api/lanes/C04/zones', {
      headers: { authorization: `Bearer ${own}` },
      data: { ...body, zones: { ...body.zones, bagging: body.zones.scanner, scanner: [{ x: 2, y: 0 }] } },
    });
    expect(invalid.status()).toBe(400);
    const refused = (await invalid.json()) as {
      error: string;
      problems: { zone: string; message: string }[];
    };
    expect(refused.error).toBe('invalid-zones');
    expect(refused.problems).toEqual([
      { zone: 'scanner', message: 'Scanner zone needs at least 3 points; it has 1.' },
    ]);
    expect(await serverZones(request, 'C04')).toBeNull();

    const ok = await request.put('/api/lanes/C04/zones', {
      headers: { authorization: `Bearer ${own}` },
      data: body,
    });
    expect(ok.status()).toBe(200);
    expect((await serverZones(request, 'C04'))?.zones.zones.bagging).toEqual(body.zones.bagging);
  });
});
