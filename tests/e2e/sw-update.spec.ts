import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { postPos, posEvents } from './support/relay.ts';
import { ROOT } from './support/env.ts';

// Was flaky (until 2026-12-01): the waiting version now and then stayed "installed" after
// SKIP_WAITING. Chromium activates a skip-waiting worker only once the old one is idle: it stops the
// old one at once, but a request of the lane landing in that moment (the sync, upload and status
// requests that follow every transaction's end) restarted it with its normal 30 s idle timer, and
// the lane's traffic kept it awake until Chromium's 5-minute limit. /api/* now bypasses the service
// worker (public/sw-routes.js, static routing), so nothing wakes it. Each attempt uses its own lane:
// the server outlives repeats and retries, and a second "T-u1" on one lane is not a new transaction.

const SW = path.join(ROOT, process.env.KIOSK_OUT_DIR ?? 'dist', 'sw.js');

test('a new version waits for the end of the transaction, then applies itself', async ({
  page,
  request,
}, info) => {
  // The first visit precaches every model (tens of MB) and starts the vision worker: slow on a busy machine.
  test.setTimeout(120_000);
  const lane = `U01-${info.repeatEachIndex}-${info.retry}`;
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
  // Recording, so the transaction's end brings the lane's real traffic (record sync, clip upload,
  // status) into the handover: the requests that used to hold it back.
  await kiosk.waitRecording(60_000);

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
