import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { postPos, posEvents } from './support/relay.ts';
import { ROOT } from './support/env.ts';

// Known flake (2026-12-01): now and then the waiting version stays "installed" after SKIP_WAITING
// because the old service worker still serves a request of the vision worker (the MediaPipe wasm
// stream); the lane applies it later, but not within this test's 15 s. Retried while that is open.
test.describe.configure({ retries: 2 });

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
  // The lane has finished starting (its vision worker streamed and compiled its models through the
  // service worker): a waiting version can only take over once the old one's requests are done.
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
