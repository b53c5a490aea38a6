import type { Browser } from 'playwright';
import { summary } from './stats.ts';

/**
 * Navigation start to the first camera frame painted in the mirror, in a fresh browser context
 * (no service worker, empty caches) and again with the service worker warm.
 */
export async function measureColdStart(browser: Browser, url: string, runs = 5) {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const firstFrame = async () => {
      await page.goto(`${url}/?lane=S0${i}&lang=en`);
      const handle = await page.waitForFunction(
        () =>
          (document.querySelector('[data-testid="mirror-video"]') as HTMLElement | null)?.dataset
            .firstFrameMs,
        null,
        { timeout: 30_000 },
      );
      return Number(await handle.jsonValue());
    };
    cold.push(await firstFrame());
    await page.evaluate(() => navigator.serviceWorker.ready);
    warm.push(await firstFrame());
    await context.close();
  }
  return { cold: summary(cold), warm: summary(warm) };
}
