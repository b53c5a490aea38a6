import type { Locator, Page } from '@playwright/test';

/** The e2e server's bootstrap admin (playwright.config.ts), used only to create the guide user. */
const ADMIN = { authorization: 'Bearer e2e-admin' };
const GUIDE_TOKEN_KEY = 'lane-companion.guideToken';

/** The floor guides' wall. */
export class GuidePage {
  constructor(readonly page: Page) {}

  /** Creates a guide user through the admin API, as a store admin would, and returns its token. */
  async createGuideToken(): Promise<string> {
    const res = await this.page.request.post('/api/users', {
      headers: ADMIN,
      data: { name: 'e2e guide', role: 'guide' },
    });
    if (res.status() !== 201)
      throw new Error(`could not create a guide user: ${res.status()} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  }

  /** Opens the wall logged in (the token kept in localStorage, as after the one-time login). */
  async open(token?: string): Promise<void> {
    const t = token ?? (await this.createGuideToken());
    await this.page.addInitScript(([key, value]) => localStorage.setItem(key, value), [
      GUIDE_TOKEN_KEY,
      t,
    ] as const);
    await this.page.goto('/guide');
  }

  /** Opens the wall with no stored token: the login form. */
  async openLoggedOut(): Promise<void> {
    await this.page.goto('/guide');
  }

  async logIn(token: string): Promise<void> {
    await this.page.getByTestId('guide-token').fill(token);
    await this.page.getByRole('button', { name: /Log in/ }).click();
  }

  lane(id: string): Locator {
    return this.page.locator(`[data-guide-lane="${id}"]`);
  }

  alert(kind: string, lane?: string): Locator {
    const laneSel = lane ? `[data-alert-lane="${lane}"]` : '';
    return this.page.locator(`[data-guide-alert="${kind}"]${laneSel}`);
  }
}
