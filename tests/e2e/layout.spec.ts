import { test, expect } from './support/fixtures.ts';
import { KioskPage } from './pages/KioskPage.ts';
import { postPos, posEvents } from './support/relay.ts';

const SCREENS = [
  { width: 1024, height: 768 },
  { width: 1280, height: 1024 },
  { width: 1920, height: 1080 },
  { width: 1080, height: 1920 },
];

for (const screen of SCREENS) {
  test(`layout fits ${screen.width}x${screen.height} with a long order and a prompt`, async ({
    page,
    request,
  }) => {
    await page.setViewportSize(screen);
    const lane = `Y${screen.width}x${screen.height}`;
    const kiosk = new KioskPage(page);
    await kiosk.open(lane);
    await kiosk.waitOnline();
    const e = posEvents(lane, `T-${lane}`);
    // Built in POS order: the start takes the first seq.
    const started = e.started();
    const items = Array.from({ length: 25 }, (_, i) =>
      e.added(i + 1, '6901234567892', `Item ${i + 1}`, 100 + i),
    );
    await postPos(request, lane, [started, ...items]);
    await expect(kiosk.lines()).toHaveCount(25);
    await expect(kiosk.diagnostics).toHaveCount(0);

    const inView = async (selector: string) => {
      const box = await page.locator(selector).first().boundingBox();
      expect(box, selector).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(screen.width + 1);
      expect(box!.y + box!.height).toBeLessThanOrEqual(screen.height + 1);
      return box!;
    };
    await inView('[data-testid="light-strip"]');
    const mirror = await inView('.mirror');
    await inView('[data-testid="order-total"]');
    expect(mirror.width * mirror.height).toBeGreaterThan(screen.width * screen.height * 0.15);
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(overflow).toEqual({ x: 0, y: 0 });

    await postPos(request, lane, e.voided(3));
    await expect(kiosk.dialog).toBeVisible();
    for (const b of await kiosk.dialog.getByRole('button').all()) {
      const box = await b.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(screen.height);
      expect(box!.height).toBeGreaterThanOrEqual(44);
    }
    await page.screenshot({ path: `test-results/layout-${screen.width}x${screen.height}.png` });
  });
}
