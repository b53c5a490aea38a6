import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { postPos, posEvents } from './support/relay.ts';
import { ROOT } from './support/env.ts';

const SW = path.join(ROOT, process.env.KIOSK_OUT_DIR ?? 'dist', 'sw.js');

test('a new version waits for the end of the transaction, then applies itself', async ({ page, request }) => {
  const lane = 'U01';
  const kiosk = new KioskPage(page);
  await kiosk.open(lane);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await kiosk.waitOnline();

  const e = posEvents(lane, 'T-u1');
  await postPos(request, lane, [e.started(), e.added(1, '6901234567892', 'Milk', 500)]);
  await expect(kiosk.activeLines()).toHaveCount(1);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

  const original = fs.readFileSync(SW, 'utf8');
  try {
    // A chain publishes a new version: any byte change to sw.js is a new service worker.
    fs.writeFileSync(SW, `${original}\n// release ${Date.now()}\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await expect(page.getByTestId('update-waiting')).toBeVisible();
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);

    const reloaded = page.waitForEvent('load', { timeout: 15_000 });
    await postPos(request, lane, [e.paymentStarted(500), e.paid(500), e.ended()]);
    await reloaded;
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    await expect(kiosk.light).toBeVisible();
    await expect(page.getByTestId('update-waiting')).toHaveCount(0);
  } finally {
    fs.writeFileSync(SW, original);
  }
});
