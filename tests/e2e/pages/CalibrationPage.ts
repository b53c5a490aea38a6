import type { Locator, Page } from '@playwright/test';
import { expect } from '../support/fixtures.ts';

export type ZoneName = 'pickup' | 'scanner' | 'bagging' | 'exit';
export interface NormPoint {
  x: number;
  y: number;
}

/** The installer's lane calibration screen, reached from Settings. */
export class CalibrationPage {
  readonly root: Locator;
  readonly canvas: Locator;
  readonly video: Locator;
  readonly problems: Locator;
  readonly message: Locator;
  readonly sync: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('calibration');
    this.canvas = page.getByTestId('calibration-canvas');
    this.video = page.getByTestId('calibration-video');
    this.problems = page.getByTestId('zones-problems');
    this.message = page.getByTestId('zones-message');
    this.sync = page.getByTestId('zones-sync');
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Settings' }).click();
    await this.page.getByTestId('open-calibration').click();
    await expect(this.root).toBeVisible();
  }

  /** Waits until the live camera picture plays in the calibration view. */
  async waitLiveVideo(): Promise<void> {
    await expect
      .poll(() =>
        this.video.evaluate((v: HTMLVideoElement) => v.readyState >= 2 && v.videoWidth > 0 && !v.paused),
      )
      .toBe(true);
  }

  private async toScreen(p: NormPoint): Promise<{ x: number; y: number }> {
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('calibration canvas is not visible');
    return { x: box.x + p.x * box.width, y: box.y + p.y * box.height };
  }

  /** Picks the zone and drags a rectangle from `from` to `to` (normalised image coordinates). */
  async drawRect(zone: ZoneName, from: NormPoint, to: NormPoint): Promise<void> {
    await this.page.getByTestId(`zone-pick-${zone}`).click();
    const a = await this.toScreen(from);
    const b = await this.toScreen(to);
    await this.page.mouse.move(a.x, a.y);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
    await this.page.mouse.move(b.x, b.y, { steps: 4 });
    await this.page.mouse.up();
    await expect(this.zone(zone)).toBeVisible();
  }

  /** Drags corner `index` of `zone` to `to`. */
  async dragCorner(zone: ZoneName, index: number, to: NormPoint): Promise<void> {
    const corner = this.page.getByTestId(`corner-${zone}-${index}`);
    const box = await corner.boundingBox();
    if (!box) throw new Error(`corner ${index} of ${zone} is not visible`);
    const b = await this.toScreen(to);
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(b.x, b.y, { steps: 5 });
    await this.page.mouse.up();
  }

  zone(zone: ZoneName): Locator {
    return this.page.getByTestId(`zone-${zone}`);
  }

  /** The zone's points as drawn (normalised), read from the overlay. */
  async points(zone: ZoneName): Promise<NormPoint[]> {
    return JSON.parse((await this.zone(zone).getAttribute('data-points')) ?? '[]') as NormPoint[];
  }

  async save(): Promise<void> {
    await this.page.getByTestId('zones-save').click();
  }
}
