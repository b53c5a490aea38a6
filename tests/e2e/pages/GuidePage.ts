import type { Locator, Page } from '@playwright/test';

/** The floor guides' wall. */
export class GuidePage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/guide');
  }

  lane(id: string): Locator {
    return this.page.locator(`[data-guide-lane="${id}"]`);
  }
}
