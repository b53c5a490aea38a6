import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { GuidePage } from './pages/GuidePage.ts';
import { postPos, posEvents } from './support/relay.ts';

test("the guide wall shows a lane's light and its latest prompt, live", async ({
  page,
  context,
  request,
}) => {
  const lane = 'G01';
  const kiosk = new KioskPage(page);
  await kiosk.open(lane);
  await kiosk.waitOnline();
  const guide = new GuidePage(await context.newPage());
  await guide.open();
  await expect(guide.lane(lane)).toHaveAttribute('data-light-color', 'green');

  const e = posEvents(lane, 'T-g1');
  await postPos(request, lane, [e.started(), e.added(1, '6901234567892', 'Milk', 500), e.voided(1)]);
  await expect(guide.lane(lane)).toHaveAttribute('data-lane-state', 'awaitingConfirmation');
  await expect(guide.lane(lane)).toHaveAttribute('data-light-color', 'amber');
  await expect(guide.lane(lane).locator('[data-prompt-kind="itemVoided"]')).toBeVisible();

  await kiosk.answer('callGuide');
  await expect(guide.lane(lane)).toHaveAttribute('data-lane-state', 'assistanceRequested');
  await expect(guide.lane(lane)).toHaveAttribute('data-light-color', 'red');
  await expect(guide.lane(lane)).toContainText('callGuide');
});
