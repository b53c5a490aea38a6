import { test as base, expect, type Page } from '@playwright/test';

export interface ConsoleGuard {
  /** Errors a test expects (e.g. network failures while it takes the server away). */
  allow(pattern: RegExp): void;
}

/**
 * Every page in the suite fails its test on an unexpected console error or uncaught exception,
 * so a regression that only logs is still caught.
 */
export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
  consoleGuard: [
    async ({ context }, use) => {
      const errors: string[] = [];
      const allowed: RegExp[] = [];
      const watch = (page: Page) => {
        page.on('console', (msg) => {
          if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
        });
        page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      };
      context.pages().forEach(watch);
      context.on('page', watch);
      await use({ allow: (p) => allowed.push(p) });
      const unexpected = errors.filter((e) => !allowed.some((p) => p.test(e)));
      expect(unexpected, 'unexpected console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
