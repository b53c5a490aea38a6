import type { APIRequestContext } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';

const ADMIN = { authorization: 'Bearer e2e-admin' };

/** Rings up two products on the demo POS and pays; returns the transaction id. */
async function demoTransaction(kiosk: KioskPage, pay = true): Promise<string> {
  const pos = await kiosk.openDemoPos();
  await pos.locator('.demo-product').nth(0).click();
  await pos.locator('.demo-product').nth(1).click();
  const txn = await kiosk.page.evaluate(
    () =>
      (window as unknown as { laneKiosk: { demoPos: { currentTxn: string } } }).laneKiosk.demoPos.currentTxn,
  );
  // A few seconds of footage inside the transaction.
  await kiosk.page.waitForTimeout(2500);
  if (pay) await pos.locator('[data-action="pay"]').click();
  await pos.getByRole('button', { name: 'Close' }).click();
  return txn;
}

async function storedRecord(request: APIRequestContext, txn: string) {
  const res = await request.get(`/api/orders/${txn}`, { headers: ADMIN });
  return res.ok()
    ? ((await res.json()) as { record: { clip?: { sha256: string; bytes: number } }; clipSha256?: string })
    : null;
}

test.describe('order video evidence', () => {
  test.setTimeout(120_000);

  test('a demo transaction reaches the server with its clip, playable, audited', async ({
    page,
    request,
  }) => {
    const kiosk = new KioskPage(page);
    await kiosk.open('E01');
    await kiosk.waitOnline();
    await kiosk.waitRecording();
    const txn = await demoTransaction(kiosk);

    await expect
      .poll(async () => (await storedRecord(request, txn))?.clipSha256, { timeout: 60_000 })
      .toBeTruthy();
    const stored = (await storedRecord(request, txn))!;
    expect(stored.clipSha256).toBe(stored.record.clip!.sha256);
    expect(JSON.stringify(stored.record)).not.toMatch(/PAY\d{6,}/);

    const clip = await request.get(`/api/orders/${txn}/clip`, { headers: ADMIN });
    expect(clip.status()).toBe(200);
    expect(clip.headers()['content-type']).toContain('video/webm');
    const bytes = await clip.body();
    expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    const part = await request.get(`/api/orders/${txn}/clip`, { headers: { ...ADMIN, range: 'bytes=0-99' } });
    expect(part.status()).toBe(206);
    expect((await part.body()).equals(bytes.subarray(0, 100))).toBe(true);

    // Playable in a browser: decode it from a blob.
    const meta = await page.evaluate(async (b64) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const video = document.createElement('video');
      video.muted = true;
      video.src = URL.createObjectURL(new Blob([data], { type: 'video/webm' }));
      await new Promise((resolve, reject) => {
        video.onloadeddata = resolve;
        video.onerror = () => reject(new Error('clip does not decode'));
      });
      return { width: video.videoWidth, height: video.videoHeight };
    }, bytes.toString('base64'));
    expect(meta.width).toBeGreaterThan(0);

    const noToken = await request.get(`/api/orders/${txn}/clip`);
    expect(noToken.status()).toBe(401);
    const audit = await (await request.get('/api/audit?limit=500', { headers: ADMIN })).json();
    expect(audit.verified).toBe(true);
    const views = audit.entries.filter(
      (e: { action: string; target: string }) => e.action === 'clip.view' && e.target === txn,
    );
    expect(views.length).toBe(2);
  });

  test('with the server unreachable, records wait on the kiosk and sync once it is back', async ({
    page,
    context,
    request,
    consoleGuard,
  }) => {
    consoleGuard.allow(/net::ERR_|Failed to fetch|WebSocket connection|ERR_INTERNET_DISCONNECTED/);
    const kiosk = new KioskPage(page);
    await kiosk.open('E02');
    await kiosk.waitOnline();
    await kiosk.waitRecording();
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (
              window as unknown as {
                laneKiosk: { evidence: { state: { get(): { status: { enrolled: boolean } } } } };
              }
            ).laneKiosk.evidence.state.get().status.enrolled,
        ),
      )
      .toBe(true);

    await context.setOffline(true);
    const first = await demoTransaction(kiosk);
    const second = await demoTransaction(kiosk);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('pending-records')).toContainText('2', { timeout: 20_000 });
    expect(await storedRecord(request, first)).toBeNull();

    await context.setOffline(false);
    await page.getByRole('button', { name: /sync now/i }).click();
    for (const txn of [first, second]) {
      await expect
        .poll(async () => (await storedRecord(request, txn))?.clipSha256, { timeout: 60_000 })
        .toBeTruthy();
    }
    await expect(page.getByTestId('pending-records')).toContainText('0', { timeout: 20_000 });
  });
});
