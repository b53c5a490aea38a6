import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { postPos, posEvents } from './support/relay.ts';

test('events posted while the kiosk is disconnected are replayed by seq, once each', async ({
  page,
  context,
  request,
  consoleGuard,
}) => {
  // The network drops while the kiosk may still be loading its models for the first time.
  consoleGuard.allow(
    /WebSocket connection|ERR_INTERNET_DISCONNECTED|net::ERR_|wasm|Failed to fetch|ArrayBuffer instantiation/,
  );
  const lane = 'R01';
  const kiosk = new KioskPage(page);
  await kiosk.open(lane);
  await kiosk.waitOnline();
  const e = posEvents(lane, 'T-r1');
  await postPos(request, lane, [e.started(), e.added(1, '6901234567892', 'Milk', 500)]);
  await expect(kiosk.activeLines()).toHaveCount(1);

  await context.setOffline(true);
  await page.evaluate(() =>
    (
      window as unknown as { laneKiosk: { relay: { dropConnection(): void } } }
    ).laneKiosk.relay.dropConnection(),
  );
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await kiosk.expectLight('offline', 'blue');
  // The POS goes on while the lane screen is cut off.
  const missed = [
    e.added(2, '6920202888883', 'Bread', 1000),
    e.added(3, '6934567890125', 'Eggs', 1200),
    e.voided(2),
  ];
  expect((await postPos(request, lane, missed)).status()).toBe(202);
  await context.setOffline(false);

  await expect(page.getByTestId('offline-banner')).toHaveCount(0, { timeout: 40_000 });
  await expect(kiosk.lines()).toHaveCount(3);
  await expect(kiosk.activeLines()).toHaveCount(2);
  // The void happened moments ago in the open transaction: the shopper still has to confirm it.
  await expect(kiosk.dialog).toHaveAttribute('data-prompt-kind', 'itemVoided');
  await kiosk.answer('confirmed');
  await expect(kiosk.total).toHaveAttribute('data-total', '1700');
  const seqs = await page.evaluate(() => {
    const k = (
      window as unknown as {
        laneKiosk: {
          controller: { view: { get(): { order: { timeline: { kind: string; seq?: number }[] } } } };
        };
      }
    ).laneKiosk;
    return k.controller.view
      .get()
      .order.timeline.filter((t) => t.kind === 'event')
      .map((t) => t.seq);
  });
  expect(seqs).toEqual([1, 2, 3, 4, 5]);
});
