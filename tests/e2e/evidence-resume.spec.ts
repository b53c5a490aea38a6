import fs from 'node:fs';
import { test, expect } from './support/fixtures.ts';
import { collectErrors, launchPersistent, profileDir } from './support/persistentKiosk.ts';
import { hasRealMedia } from './support/env.ts';
import { KioskPage } from './pages/KioskPage.ts';

/*
 * A browser killed in the middle of a clip upload resumes from the server's offset after a restart:
 * the kiosk's IndexedDB (record, clip, upload URL) lives in a persistent profile that survives the
 * kill; the first upload is cut to half its bytes on the wire so the server holds a partial upload.
 */

const ADMIN = { authorization: 'Bearer e2e-admin' };
const PROFILE = profileDir('evidence-resume');

const launch = (baseURL: string) => launchPersistent(PROFILE, baseURL);

test.describe('clip upload resume across a killed browser', () => {
  test.skip(!hasRealMedia(), 'needs ../shared/media (the camera video) for a clip to upload');
  test.setTimeout(180_000);

  test('the next PATCH continues at the server offset; the clip matches its SHA-256, stored once', async ({
    request,
    baseURL,
  }) => {
    fs.rmSync(PROFILE, { recursive: true, force: true });
    const lane = `ER${Date.now().toString(36).slice(-5)}`;

    // 1st browser: ring up a transaction and let the upload start, forwarding only half of it.
    let context = await launch(baseURL!);
    const firstErrors = collectErrors(context, /net::ERR_|Failed to fetch|WebSocket/);
    let cut: { offset: number; forwarded: number; total: number } | null = null;
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await context.route('**/api/uploads/*', async (route) => {
      const req = route.request();
      if (req.method() !== 'PATCH' || cut) return route.continue();
      const body = req.postDataBuffer() ?? Buffer.alloc(0);
      const half = body.subarray(0, Math.floor(body.length / 2));
      const offset = Number(req.headers()['upload-offset']);
      // The server gets half the bytes; the page never hears back: the browser dies first.
      await route.fetch({
        postData: half,
        headers: { ...req.headers(), 'content-length': String(half.length) },
      });
      cut = { offset, forwarded: half.length, total: body.length };
      release();
      await new Promise(() => undefined);
    });
    let page = context.pages()[0] ?? (await context.newPage());
    const kiosk = new KioskPage(page);
    await kiosk.open(lane);
    await kiosk.waitOnline();
    await expect
      .poll(
        () => page.evaluate(() => (window as unknown as Kiosk).laneKiosk.evidence.state.get().recorder.kind),
        {
          timeout: 30_000,
        },
      )
      .toBe('recording');
    const pos = await kiosk.openDemoPos();
    await pos.locator('.demo-product').nth(0).click();
    const txn = await page.evaluate(() => (window as unknown as Kiosk).laneKiosk.demoPos.currentTxn);
    await page.waitForTimeout(2500);
    await pos.locator('[data-action="pay"]').click();
    await held;
    expect(cut).not.toBeNull();
    await context.close(); // the kill: no clean-up reaches the page
    expect(firstErrors).toEqual([]);

    const partial = await request.get(`/api/orders/${txn}`, { headers: ADMIN });
    expect(partial.status()).toBe(200);
    const stored0 = (await partial.json()) as {
      record: { clip?: { sha256: string; bytes: number } };
      clipSha256?: string;
    };
    expect(stored0.clipSha256).toBeUndefined();
    const clip = stored0.record.clip!;
    expect(clip.bytes).toBe(cut!.total);

    // 2nd browser, same profile: the outbox resumes; watch the PATCHes it sends.
    context = await launch(baseURL!);
    const secondErrors = collectErrors(context, /net::ERR_|Failed to fetch|WebSocket/);
    const patches: number[] = [];
    context.on('request', (r) => {
      if (r.method() === 'PATCH' && r.url().includes('/api/uploads/'))
        patches.push(Number(r.headers()['upload-offset']));
    });
    page = context.pages()[0] ?? (await context.newPage());
    await new KioskPage(page).open(lane);
    await expect
      .poll(
        async () =>
          (
            (await (await request.get(`/api/orders/${txn}`, { headers: ADMIN })).json()) as {
              clipSha256?: string;
            }
          ).clipSha256,
        {
          timeout: 90_000,
        },
      )
      .toBe(clip.sha256);
    expect(patches[0]).toBe(cut!.offset + cut!.forwarded);
    expect(patches[0]).toBeGreaterThan(0);

    // Stored once: one clip.upload audit entry for this txn.
    const audit = (await (
      await request.get('/api/audit?sinceSeq=0&limit=1000', { headers: ADMIN })
    ).json()) as {
      entries: { action: string; target: string }[];
    };
    expect(audit.entries.filter((e) => e.action === 'clip.upload' && e.target === txn)).toHaveLength(1);
    await context.close();
    expect(secondErrors).toEqual([]);
  });
});

interface Kiosk {
  laneKiosk: {
    demoPos: { currentTxn: string };
    evidence: { state: { get(): { recorder: { kind: string } } } };
  };
}
