import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';

test('a camera that disappears is shown as lost and reconnects by itself', async ({ page }) => {
  const kiosk = new KioskPage(page);
  await kiosk.open('K01');
  await expect(page.locator('[data-camera-state="live"]')).toBeVisible();
  // Chromium cannot unplug its fake device, so the track's own "ended" event (what an unplug fires) is raised.
  await kiosk.mirror.evaluate((v: HTMLVideoElement) => {
    const track = (v.srcObject as MediaStream).getVideoTracks()[0]!;
    track.stop();
    track.dispatchEvent(new Event('ended'));
  });
  await expect(page.locator('[data-camera-state="lost"]')).toBeVisible();
  await expect(page.getByTestId('camera-status')).toContainText('disconnected');
  await expect(page.locator('[data-camera-state="live"]')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => kiosk.mirror.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
});

test('the camera chooser lists the cameras and switching keeps the mirror live', async ({ page }) => {
  const kiosk = new KioskPage(page);
  await kiosk.open('K02');
  await expect(page.locator('[data-camera-state="live"]')).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
  const select = page.getByTestId('camera-select');
  await expect(select.locator('option')).not.toHaveCount(0);
  const value = await select.locator('option').first().getAttribute('value');
  await select.selectOption(value!);
  await expect(page.locator('[data-camera-state="live"]')).toBeVisible();
});
