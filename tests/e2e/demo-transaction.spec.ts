import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { hasRealMedia } from './support/env.ts';

test.describe('a whole demo transaction', () => {
  test('ring up, weigh, change quantity, scan with the wedge scanner, pay', async ({ page }) => {
    const kiosk = new KioskPage(page);
    await kiosk.open('D01');
    await kiosk.expectLight('idle', 'green');
    const pos = await kiosk.openDemoPos();
    const products = pos.locator('.demo-product');
    expect(await products.count()).toBeGreaterThanOrEqual(30);

    await products.nth(0).click();
    await products.nth(1).click();
    await kiosk.expectLight('scanning', 'green');
    // A weighed product from the catalogue, rung up with the scale's weight.
    await pos.getByRole('spinbutton').fill('750');
    const weighed = pos.locator('.demo-product', { hasText: '/kg' }).first();
    await weighed.click();
    await expect(kiosk.activeLines()).toHaveCount(3);
    await expect(kiosk.lines().nth(2)).toContainText('0.750 kg');

    await pos.locator('[data-demo-line="1"] button[aria-label="plus"]').click();
    await expect(kiosk.lines().nth(0)).toContainText('× 2');

    // A keyboard-wedge scanner types fast and ends with Enter; the first product's barcode.
    const gtin = await products.nth(0).getAttribute('data-gtin');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await kiosk.wedgeScan(gtin!);
    await expect(kiosk.activeLines()).toHaveCount(4);

    const total = Number(await kiosk.total.getAttribute('data-total'));
    expect(total).toBeGreaterThan(0);
    await expect(pos.locator('[data-action="pay"]')).toContainText((total / 100).toFixed(2));
    await pos.locator('[data-action="pay"]').click();
    await kiosk.expectLight('idle', 'green');
    await expect(kiosk.dialog).toHaveCount(0);
  });

  test('typing slowly is not taken for a scan', async ({ page }) => {
    const kiosk = new KioskPage(page);
    await kiosk.open('D02');
    await page.keyboard.type('6901234567892', { delay: 150 });
    await page.keyboard.press('Enter');
    await expect(kiosk.lines()).toHaveCount(0);
  });

  test('the mirror shows the live camera', async ({ page }) => {
    test.skip(!hasRealMedia(), 'shared/media is absent: the fake camera has no real footage to check');
    const kiosk = new KioskPage(page);
    await kiosk.open('D03');
    await expect(page.locator('[data-camera-state="live"]')).toBeVisible();
    await expect.poll(() => kiosk.mirror.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(640);
    // Live: frames keep arriving, so the presented time advances.
    const t0 = await kiosk.mirror.evaluate((v: HTMLVideoElement) => v.currentTime);
    await expect
      .poll(() => kiosk.mirror.evaluate((v: HTMLVideoElement) => v.currentTime))
      .toBeGreaterThan(t0);
    // The fake capture is the bottle video: its frames are bright white table, not the synthetic pattern.
    const luma = await kiosk.mirror.evaluate((v: HTMLVideoElement) => {
      const c = document.createElement('canvas');
      c.width = 64;
      c.height = 36;
      const g = c.getContext('2d')!;
      g.drawImage(v, 0, 0, 64, 36);
      const d = g.getImageData(0, 0, 64, 36).data;
      let sum = 0;
      for (let i = 0; i < d.length; i += 4) sum += 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
      return sum / (d.length / 4);
    });
    expect(luma).toBeGreaterThan(100);
  });
});
