import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { postPos, posEvents } from './support/relay.ts';

test.describe('prompts for everyone', () => {
  test('the confirm works from the keyboard and keeps focus inside', async ({ page, request }) => {
    const lane = 'A01';
    const kiosk = new KioskPage(page);
    await kiosk.open(lane);
    await kiosk.waitOnline();
    const e = posEvents(lane, 'T-a1');
    await postPos(request, lane, [e.started(), e.added(1, '6901234567892', 'Milk', 500), e.voided(1)]);
    await expect(kiosk.dialog).toBeVisible();
    await expect(kiosk.dialog.locator('button[data-answer="confirmed"]')).toBeFocused();
    const count = await kiosk.dialog.getByRole('button').count();
    for (let i = 0; i < count + 1; i++) {
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => document.activeElement?.closest('[role="alertdialog"]') !== null),
      ).toBe(true);
    }
    await kiosk.dialog.locator('button[data-answer="confirmed"]').focus();
    await page.keyboard.press('Enter');
    await expect(kiosk.dialog).toHaveCount(0);
  });

  test('Chinese by default: the zh-CN recording plays and the text size can be raised', async ({
    page,
    request,
  }) => {
    const lane = 'A02';
    const kiosk = new KioskPage(page);
    await page.goto(`/?lane=${lane}`);
    await kiosk.waitOnline();
    await expect(page.locator('.kiosk')).toHaveAttribute('lang', 'zh-CN');
    await page.getByRole('button', { name: '设置' }).click();
    await page.getByRole('button', { name: 'AAA' }).click();
    await expect(page.locator('.kiosk')).toHaveClass(/text-size-3/);
    const e = posEvents(lane, 'T-a2');
    await postPos(request, lane, [e.started(), e.added(1, '6901234567892', '牛奶', 500, 2), e.qty(1, 1)]);
    await expect(kiosk.dialog).toContainText('您减少了商品数量');
    expect(await kiosk.audioPlayingSrc()).toMatch(/\/prompts\/zh-CN\/quantityReduced\.ogg$/);
    await kiosk.answer('undo');
    await expect(kiosk.dialog).toHaveCount(0);
  });

  test('when the recording cannot play, the dialog says so', async ({ page, request, consoleGuard }) => {
    consoleGuard.allow(/Failed to load resource|net::ERR_FAILED/);
    await page.route('**/prompts/**', (route) => route.abort());
    const lane = 'A03';
    const kiosk = new KioskPage(page);
    await kiosk.open(lane);
    await kiosk.waitOnline();
    const e = posEvents(lane, 'T-a3');
    await postPos(request, lane, [e.started(), e.added(1, '6901234567892', 'Milk', 500), e.cancelled()]);
    await expect(kiosk.dialog).toHaveAttribute('data-audio-state', 'failed');
    await expect(kiosk.dialog.getByRole('status').first()).toContainText('could not play');
    await kiosk.answer('confirmed');
    await kiosk.expectLight('idle', 'green');
  });
});
