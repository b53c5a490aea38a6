import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { postPos, posEvents } from './support/relay.ts';

const CASES = [
  { kind: 'itemVoided', trigger: (e: ReturnType<typeof posEvents>) => [e.voided(2)] },
  { kind: 'quantityReduced', trigger: (e: ReturnType<typeof posEvents>) => [e.qty(1, 1)] },
  { kind: 'transactionCancelled', trigger: (e: ReturnType<typeof posEvents>) => [e.cancelled()] },
  {
    kind: 'paymentFailed',
    trigger: (e: ReturnType<typeof posEvents>) => [e.paymentStarted(1500), e.paymentFailed()],
  },
] as const;

test.describe('voice + blocking confirm (guide 4.1.4) from relay events', () => {
  for (const c of CASES) {
    test(`${c.kind}: dialog, audio, answer, light back to normal`, async ({ page, request }) => {
      const lane = `P-${c.kind}`;
      const kiosk = new KioskPage(page);
      await kiosk.open(lane);
      await kiosk.waitOnline();
      const e = posEvents(lane, `T-${c.kind}`);
      const setup = await postPos(request, lane, [
        e.started(),
        e.added(1, '6901234567892', 'Milk', 500, 3),
        e.added(2, '6920202888883', 'Bread', 1000),
      ]);
      expect(setup.status()).toBe(202);
      await expect(kiosk.activeLines()).toHaveCount(2);
      await kiosk.expectLight('scanning', 'green');

      const res = await postPos(request, lane, c.trigger(e));
      expect(res.status()).toBe(202);
      await expect(kiosk.dialog).toBeVisible();
      await expect(kiosk.dialog).toHaveAttribute('data-prompt-kind', c.kind);
      // A failed payment outranks a pending confirm on the light (see docs/lane-light.md).
      if (c.kind === 'paymentFailed') await kiosk.expectLight('paymentFailed', 'amber');
      else await kiosk.expectLight('awaitingConfirmation', 'amber');
      await expect(kiosk.dialog).toHaveAttribute('data-audio-state', 'playing');
      expect(await kiosk.audioPlayingSrc()).toMatch(new RegExp(`/prompts/en/${c.kind}\\.ogg$`));

      // Blocking: the rest of the screen cannot be operated while the prompt is up.
      await expect(page.locator('.kiosk-main')).toHaveAttribute('inert', '');
      await expect(page.getByTestId('demo-toggle').click({ timeout: 1000 })).rejects.toThrow();

      await kiosk.answer('confirmed');
      await expect(kiosk.dialog).toHaveCount(0);
      const expected = c.kind === 'transactionCancelled' ? 'idle' : 'scanning';
      await kiosk.expectLight(expected, 'green');

      const timeline = await page.evaluate(() => {
        const k = (
          window as unknown as {
            laneKiosk: { controller: { view: { get(): { order: { timeline: { kind: string }[] } } } } };
          }
        ).laneKiosk;
        return k.controller.view.get().order.timeline.filter((t) => t.kind === 'answer');
      });
      expect(timeline).toEqual([
        expect.objectContaining({ kind: 'answer', prompt: c.kind, answer: 'confirmed' }),
      ]);
    });
  }

  test('no answer in time calls a guide; the shopper can still answer', async ({ page, request }) => {
    const lane = 'P-timeout';
    const kiosk = new KioskPage(page);
    await kiosk.open(lane, { promptTimeoutMs: '2000' });
    await kiosk.waitOnline();
    const e = posEvents(lane, 'T-timeout');
    await postPos(request, lane, [e.started(), e.added(1, '6901234567892', 'Milk', 500), e.voided(1)]);
    await expect(kiosk.dialog).toBeVisible();
    await kiosk.expectLight('assistanceRequested', 'red');
    await expect(
      kiosk.dialog.getByRole('status').filter({ hasText: 'staff member is on the way' }),
    ).toBeVisible();
    await kiosk.answer('confirmed');
    await expect(kiosk.dialog).toHaveCount(0);
    // The guide's visit is still owed: the light stays until staff resolve it at the lane.
    await kiosk.expectLight('assistanceRequested', 'red');
    await page.getByTestId('assistance-banner').getByRole('button').click();
    await kiosk.expectLight('scanning', 'green');
  });

  test('two prompts in a row are shown one after the other', async ({ page, request }) => {
    const lane = 'P-queue';
    const kiosk = new KioskPage(page);
    await kiosk.open(lane);
    await kiosk.waitOnline();
    const e = posEvents(lane, 'T-queue');
    await postPos(request, lane, [
      e.started(),
      e.added(1, '6901234567892', 'Milk', 500, 2),
      e.added(2, '6920202888883', 'Bread', 1000),
      e.voided(2),
      e.qty(1, 1),
    ]);
    await expect(kiosk.dialog).toHaveAttribute('data-prompt-kind', 'itemVoided');
    await kiosk.answer('confirmed');
    await expect(kiosk.dialog).toHaveAttribute('data-prompt-kind', 'quantityReduced');
    await kiosk.answer('confirmed');
    await expect(kiosk.dialog).toHaveCount(0);
    await expect(kiosk.total).toHaveAttribute('data-total', '500');
  });
});
