import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { hasRealMedia } from './support/env.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { GuidePage } from './pages/GuidePage.ts';

/*
 * Storage pressure on a real Chromium while the server is unreachable, so clips pile up unsynced.
 * The kiosk must keep every order record, drop only the oldest unflagged unsynced clip, say so on
 * the maintenance screen, and raise the lane's alert on the guide wall once the server is back.
 *
 * How the pressure is made: CDP `Storage.overrideQuotaForOrigin` does NOT work for this. In
 * Chromium 156 it is accepted and ignored: `navigator.storage.estimate()` still reports the
 * disk-based quota (~10 GiB) and 5 MB IndexedDB writes still commit (measured in a page and a
 * persistent context). So the one browser figure the vault's quota guard reads,
 * `StorageManager.estimate()`, is replaced in the page by an init script that reports the real
 * usage with only `e2eFreeBytes` left. Everything after it (the retention rule, the real IndexedDB
 * writes and deletes, the alert, the panel, the lane alert, sync) is the app's own code. A write the
 * browser itself refuses (QuotaExceededError) is covered by the vault's unit tests.
 */

const ADMIN = { authorization: 'Bearer e2e-admin' };

interface KioskWindow {
  e2eFreeBytes?: number;
  laneKiosk: {
    demoPos: { currentTxn: string };
    evidence: {
      state: { get(): { recorder: { kind: string }; status: { enrolled: boolean } } };
    };
  };
}

async function demoTransaction(kiosk: KioskPage): Promise<string> {
  const pos = await kiosk.openDemoPos();
  await pos.locator('.demo-product').nth(0).click();
  const txn = await kiosk.page.evaluate(
    () => (window as unknown as KioskWindow).laneKiosk.demoPos.currentTxn,
  );
  await kiosk.page.waitForTimeout(2500);
  await pos.locator('[data-action="pay"]').click();
  await pos.getByRole('button', { name: 'Close' }).click();
  return txn;
}

async function stored(request: APIRequestContext, txn: string) {
  const res = await request.get(`/api/orders/${txn}`, { headers: ADMIN });
  return res.ok() ? ((await res.json()) as { record: { clip?: unknown }; clipSha256?: string }) : null;
}

/** The vault's view of free space: real usage, and `window.e2eFreeBytes` left once the test sets it. */
function squeezeQuota(): void {
  const real = StorageManager.prototype.estimate;
  StorageManager.prototype.estimate = async function estimate(this: StorageManager) {
    const e = await real.call(this);
    const free = (window as unknown as KioskWindow).e2eFreeBytes;
    return free === undefined ? e : { ...e, quota: (e.usage ?? 0) + free };
  };
}

/** Clips stored on the kiosk, read straight from IndexedDB. */
const storedClips = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('lane-evidence');
        open.onerror = () => reject(open.error ?? new Error('open failed'));
        open.onsuccess = () => {
          const req = open.result.transaction('clips').objectStore('clips').count();
          req.onsuccess = () => {
            resolve(req.result);
            open.result.close();
          };
          req.onerror = () => reject(req.error ?? new Error('count failed'));
        };
      }),
  );

test('under a tiny quota the kiosk keeps every record, drops the oldest unsynced clip and alerts the guide', async ({
  page,
  context,
  request,
  consoleGuard,
}) => {
  test.skip(!hasRealMedia(), 'needs ../shared/media (the camera video) for clips of a realistic size');
  test.setTimeout(180_000);
  consoleGuard.allow(/net::ERR_|Failed to fetch|WebSocket connection|ERR_INTERNET_DISCONNECTED/);
  const lane = `Q${Date.now().toString(36).slice(-5)}`;
  await page.addInitScript(squeezeQuota);
  const kiosk = new KioskPage(page);
  await kiosk.open(lane);
  await kiosk.waitOnline();
  await expect
    .poll(
      () =>
        page.evaluate(() => (window as unknown as KioskWindow).laneKiosk.evidence.state.get().recorder.kind),
      {
        timeout: 30_000,
      },
    )
    .toBe('recording');
  await expect
    .poll(() =>
      page.evaluate(() => (window as unknown as KioskWindow).laneKiosk.evidence.state.get().status.enrolled),
    )
    .toBe(true);

  await context.setOffline(true);
  const first = await demoTransaction(kiosk);
  await expect.poll(() => storedClips(page), { timeout: 30_000 }).toBe(1);
  // Room for about one more clip and the records, nothing like the 512 MiB the rule wants free.
  await page.evaluate(() => ((window as unknown as KioskWindow).e2eFreeBytes = 600_000));
  const second = await demoTransaction(kiosk);

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('maintenance-problem')).toContainText(/unsynced|storage/i, {
    timeout: 30_000,
  });
  await expect(page.getByTestId('pending-records')).toContainText('2');
  // The first clip made room for the second: one clip on the kiosk, both records kept.
  await expect.poll(() => storedClips(page)).toBe(1);

  await context.setOffline(false);
  await page.getByRole('button', { name: /sync now/i }).click();
  // Both orders reach the server; the older one's clip was the one the emergency rule dropped.
  await expect
    .poll(async () => (await stored(request, second))?.clipSha256, { timeout: 60_000 })
    .toBeTruthy();
  const older = await stored(request, first);
  expect(older).not.toBeNull();
  expect(older!.record.clip).toBeUndefined();

  const guide = new GuidePage(await context.newPage());
  await guide.open();
  await expect(guide.alert('kiosk-storage', lane).first()).toBeVisible({ timeout: 30_000 });
});
