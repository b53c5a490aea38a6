import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';

test('after one visit the kiosk starts with the server unreachable', async ({
  page,
  context,
  consoleGuard,
}) => {
  const kiosk = new KioskPage(page);
  await kiosk.open('O01');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first load is not controlled yet (no clientsClaim, by design); the next one is.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  consoleGuard.allow(/ERR_INTERNET_DISCONNECTED|Failed to fetch|WebSocket connection|net::ERR_/);
  await context.setOffline(true);
  await page.reload();
  await expect(kiosk.light).toBeVisible();
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await kiosk.expectLight('offline', 'blue');

  // The demo POS still rings up and the prompts still work, audio included (precached).
  const pos = await kiosk.openDemoPos();
  await pos.locator('.demo-product').nth(0).click();
  await pos.locator('[data-action="void"]').first().click();
  await expect(kiosk.dialog).toBeVisible();
  await expect(kiosk.dialog).toHaveAttribute('data-audio-state', 'playing');
  await kiosk.answer('confirmed');
  await expect(kiosk.dialog).toHaveCount(0);
  await context.setOffline(false);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0, { timeout: 40_000 });
});
