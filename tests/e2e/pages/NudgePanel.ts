import type { Locator, Page } from '@playwright/test';

/** Times relative to the page's own clock (the kiosk's POS clock), in ms. */
export interface TripTimes {
  trackId: number;
  /** How long ago the hand crossed the scanner (end of the pass). */
  passEndedAgoMs: number;
}

interface DemoHook {
  perception(events: unknown): number;
  stats(): { nudges: number; selfCorrected: number; escalated: number; retracted: number };
  replayFrames(): { held: number; grabbed: number };
}

/**
 * The nudge on the kiosk screen, and the demo-mode entry point that feeds the lane watch
 * perception events as the vision worker would (src/app/laneWatchDemo.ts).
 */
export class NudgePanel {
  readonly root: Locator;
  readonly replay: Locator;
  readonly scanAgain: Locator;
  readonly itScanned: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('dialog').and(page.getByTestId('nudge'));
    this.replay = this.root.getByTestId('nudge-replay');
    this.scanAgain = this.root.locator('button[data-answer="scanAgain"]');
    this.itScanned = this.root.locator('button[data-answer="continue"]');
  }

  /**
   * An item carried over the scanner into the bag, as perception events stamped on the page's
   * clock: pass + scan gesture ending `passEndedAgoMs` ago, then the landing in the bag.
   */
  async seeTrip(trip: TripTimes): Promise<number> {
    return this.page.evaluate(({ trackId, passEndedAgoMs }) => {
      const now = Date.now();
      const passEnd = now - passEndedAgoMs;
      const base = { v: 1, confidence: 0.9, atMs: now };
      const events = [
        {
          ...base,
          type: 'itemPassedScanner',
          trackId,
          fromZone: 'pickup',
          holdingItem: true,
          startMs: passEnd - 500,
          endMs: passEnd,
        },
        { ...base, type: 'scanMotion', trackId, startMs: passEnd - 400, endMs: passEnd - 100 },
        {
          ...base,
          type: 'itemMovedPickupToBagging',
          trackId,
          viaScanner: true,
          startMs: passEnd - 1000,
          endMs: passEnd + 300,
        },
        {
          ...base,
          type: 'itemPlacedInBagging',
          trackId,
          count: 1,
          fromZone: 'scanner',
          startMs: passEnd + 300,
          endMs: passEnd + 450,
        },
      ];
      return (window as unknown as { __laneWatchDemo: DemoHook }).__laneWatchDemo.perception(events);
    }, trip);
  }

  /** The item taken back out of the bag towards the basket, just now. */
  async seeTakenBack(trackId: number): Promise<number> {
    return this.page.evaluate((trackId) => {
      const now = Date.now();
      const event = {
        v: 1,
        confidence: 0.9,
        type: 'itemRemovedFromBagging',
        trackId,
        toZone: 'pickup',
        atMs: now,
        startMs: now - 300,
        endMs: now - 50,
      };
      return (window as unknown as { __laneWatchDemo: DemoHook }).__laneWatchDemo.perception([event]);
    }, trackId);
  }

  async send(events: unknown): Promise<number> {
    return this.page.evaluate(
      (events) => (window as unknown as { __laneWatchDemo: DemoHook }).__laneWatchDemo.perception(events),
      events,
    );
  }

  async stats(): Promise<ReturnType<DemoHook['stats']>> {
    return this.page.evaluate(() =>
      (window as unknown as { __laneWatchDemo: DemoHook }).__laneWatchDemo.stats(),
    );
  }

  async replayFrames(): Promise<{ held: number; grabbed: number }> {
    return this.page.evaluate(() =>
      (window as unknown as { __laneWatchDemo: DemoHook }).__laneWatchDemo.replayFrames(),
    );
  }

  /** Distinct colours in the replay canvas: a real camera frame has many, a blank canvas one. */
  async replayColours(): Promise<number> {
    return this.replay.evaluate((el) => {
      const c = el as HTMLCanvasElement;
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
      if (!data) return 0;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 97)
        seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    });
  }

  /**
   * Starts noting the perception events the vision worker sends the page (read-only: a second
   * listener beside the lane watch's own), so a test can show what the camera saw and when.
   */
  async listenToWorker(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as WorkerEventsWindow;
      w.__workerEventsSeen = [];
      w.laneKiosk.evidence.onPerception((events) => {
        const arrivedMs = performance.timeOrigin + performance.now();
        for (const e of events as { type: string; startMs: number; endMs: number }[])
          w.__workerEventsSeen.push({ type: e.type, startMs: e.startMs, endMs: e.endMs, arrivedMs });
      });
    });
  }

  /** The worker's perception events since listenToWorker, in arrival order (recorder clock, ms). */
  async workerEvents(): Promise<WorkerEventSeen[]> {
    return this.page.evaluate(() => [...(window as unknown as WorkerEventsWindow).__workerEventsSeen]);
  }
}

export interface WorkerEventSeen {
  type: string;
  startMs: number;
  endMs: number;
  /** When the page received it, on the same clock. */
  arrivedMs: number;
}

interface WorkerEventsWindow {
  __workerEventsSeen: WorkerEventSeen[];
  laneKiosk: { evidence: { onPerception(cb: (events: unknown[]) => void): () => void } };
}
