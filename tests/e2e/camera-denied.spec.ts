import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { postPos, posEvents } from './support/relay.ts';

test('camera permission denied: a clear state, and the lane keeps working', async ({ page, request }) => {
  const kiosk = new KioskPage(page);
  await kiosk.open('C01');
  await expect(page.locator('[data-camera-state="denied"]')).toBeVisible();
  await expect(page.getByTestId('camera-status')).toContainText('Camera access is not allowed');
  await kiosk.waitOnline();
  const e = posEvents('C01', 'T-cam');
  await postPos(request, 'C01', [e.started(), e.added(1, '6901234567892', 'Milk', 500), e.voided(1)]);
  await expect(kiosk.dialog).toBeVisible();
  await kiosk.answer('confirmed');
  await kiosk.expectLight('scanning', 'green');
});
