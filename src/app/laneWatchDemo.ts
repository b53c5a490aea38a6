/**
 * Demo-only entry point into the lane watch: lets a demo operator (and the e2e suite, whose server
 * runs the kiosk in demo mode) feed perception events as if the vision worker had sent them, to
 * show the nudge, the light and the guide wall without a staged theft in front of the camera.
 * Installed only when the kiosk config says `demo: true`; a production lane never has it.
 */
import type { LaneWatch } from './laneWatch.ts';

export const DEMO_HOOK = '__laneWatchDemo';

export interface LaneWatchDemoHook {
  /** Events on the POS clock (epoch ms); returns how many passed validation. */
  perception(events: unknown): number;
  stats(): LaneWatch['stats'];
  /** Frames the replay ring holds now, and has grabbed since the start (0 without a camera or with vision off). */
  replayFrames(): { held: number; grabbed: number };
}

export function installLaneWatchDemo(
  target: object,
  watch: LaneWatch,
  replay: { readonly size: number; readonly grabbed: number } | null,
): LaneWatchDemoHook {
  const hook: LaneWatchDemoHook = {
    perception: (events) => {
      if (!Array.isArray(events))
        throw new TypeError('perception(events) takes an array of perception events');
      return watch.onPerception(events);
    },
    stats: () => ({ ...watch.stats }),
    replayFrames: () => ({ held: replay?.size ?? 0, grabbed: replay?.grabbed ?? 0 }),
  };
  Object.defineProperty(target, DEMO_HOOK, { value: hook, configurable: true });
  return hook;
}
