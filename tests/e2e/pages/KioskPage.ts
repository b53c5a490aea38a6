import type { Locator, Page } from '@playwright/test';
import { expect } from '../support/fixtures.ts';

/** The kiosk screen as a shopper and a test see it. */
export class KioskPage {
  readonly light: Locator;
  readonly dialog: Locator;
  readonly order: Locator;
  readonly total: Locator;
  readonly mirror: Locator;
  readonly diagnostics: Locator;

  constructor(readonly page: Page) {
    this.light = page.getByTestId('light-strip');
    this.dialog = page.getByRole('alertdialog');
    this.order = page.getByTestId('order');
    this.total = page.getByTestId('order-total');
    this.mirror = page.getByTestId('mirror-video');
    this.diagnostics = page.getByTestId('diagnostics');
  }

  async open(lane: string, params: Record<string, string> = {}): Promise<void> {
    const q = new URLSearchParams({ lane, lang: 'en', ...params });
    await this.page.goto(`/?${q.toString()}`);
    await expect(this.light).toBeVisible();
  }

  async waitOnline(): Promise<void> {
    await expect(this.page.locator('.kiosk')).toHaveAttribute('data-online', 'true');
  }

  async expectLight(state: string, color: string): Promise<void> {
    await expect(this.light).toHaveAttribute('data-lane-state', state);
    await expect(this.light).toHaveAttribute('data-light-color', color);
  }

  async openDemoPos(): Promise<Locator> {
    await this.page.getByTestId('demo-toggle').click();
    const panel = this.page.getByTestId('demo-pos');
    await expect(panel).toBeVisible();
    return panel;
  }

  /**
   * A keyboard-wedge scanner: digits then Enter, `interKeyMs` apart by the scanner's own clock. The
   * key events carry those timestamps (CDP), as a USB scanner's do, so a busy renderer that handles
   * them late cannot make a scan look like typing (Playwright's keyboard.type stamps on arrival).
   */
  async wedgeScan(code: string, interKeyMs = 8): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    try {
      const t0 = Date.now() / 1000;
      // Sent without waiting for each to be handled: a scanner's keys queue up in the browser as
      // one burst, whatever the page is busy with.
      const sent = [...code, 'Enter'].flatMap((key, i) => {
        const timestamp = t0 + (i * interKeyMs) / 1000;
        const enter = key === 'Enter';
        const common = {
          key,
          code: enter ? 'Enter' : `Digit${key}`,
          windowsVirtualKeyCode: enter ? 13 : key.charCodeAt(0),
        };
        return [
          cdp.send('Input.dispatchKeyEvent', {
            type: 'keyDown',
            ...common,
            text: enter ? '\r' : key,
            timestamp,
          }),
          cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common, timestamp: timestamp + 0.002 }),
        ];
      });
      await Promise.all(sent);
    } finally {
      await cdp.detach();
    }
  }

  /** Until the lane's recorder is running (its vision worker has loaded its models). */
  async waitRecording(timeout = 30_000): Promise<void> {
    await expect
      .poll(
        () =>
          this.page.evaluate(
            () =>
              (
                window as unknown as {
                  laneKiosk: { evidence: { state: { get(): { recorder: { kind: string } } } } };
                }
              ).laneKiosk.evidence.state.get().recorder.kind,
          ),
        { timeout },
      )
      .toBe('recording');
  }

  lines(): Locator {
    return this.order.locator('li.line');
  }

  activeLines(): Locator {
    return this.order.locator('li.line:not(.voided)');
  }

  async answer(answer: 'confirmed' | 'undo' | 'callGuide'): Promise<void> {
    await this.dialog.locator(`button[data-answer="${answer}"]`).click();
  }

  /** Whether the prompt's audio element is really playing (not paused, time advancing). */
  async audioPlayingSrc(): Promise<string | null> {
    return this.page.evaluate(async () => {
      const el = document.getElementById('prompt-audio') as HTMLAudioElement | null;
      if (!el) return null;
      const t0 = el.currentTime;
      await new Promise((r) => setTimeout(r, 300));
      return !el.paused && el.currentTime > t0 ? el.currentSrc : null;
    });
  }
}
