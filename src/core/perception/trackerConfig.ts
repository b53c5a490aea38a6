/**
 * Perception tracker settings. docs/perception.md explains each rule that uses them; the defaults
 * assume MediaPipe hands at 10–15 analysed frames per second on a ceiling camera, with positions
 * normalised to the image (0..1) like the lane zones.
 */
export interface TrackerConfig {
  /** Hands the detector is less sure of than this are ignored entirely. */
  minHandScore: number;
  /** A detection further than this (normalised image units) from a hand track starts a new hand. */
  maxAssociationDistance: number;
  /** A hand not detected for more than this many analysed frames is lost (brief dropouts bridge). */
  maxDropoutFrames: number;
  /** `holding` at or above this (for `holdConfirmFrames` frames) means the hand holds something. */
  holdOn: number;
  /** `holding` below this (for `holdConfirmFrames` frames) means the hand let go. */
  holdOff: number;
  /** Consecutive analysed frames a holding change must last before it counts. */
  holdConfirmFrames: number;
  /** Consecutive analysed frames a hand must be in a new zone before it counts as entered. */
  zoneConfirmFrames: number;
  /** How far back a hand's path is searched for where it (or what it holds) came from. */
  originLookbackMs: number;
  /** Holding an object in the scanner this long is a scan gesture (presenting it to the window). */
  scanLingerMs: number;
  /** Palm path inside the scanner at least this many times its net displacement is a turn. */
  scanTurnRatio: number;
  /** A turn needs at least this much palm path inside the scanner (normalised units). */
  minTurnPath: number;
  /** A scanner stay this long is reported without waiting for the object to leave. */
  passDwellEmitMs: number;
  /** An object set down in the scanner (weighed) keeps its track this long for a hand to take it. */
  parkMaxMs: number;
  /** Smallest change of bagging occupancy that is an object set down or taken out. */
  minOccupancyStep: number;
  /** Occupancy samples within this of a level belong to it (sensor noise). */
  occupancyTolerance: number;
  /** A new occupancy level must hold this long, with no hand in bagging, before it counts. */
  stepHoldMs: number;
  /** Bagging motion above this means the bag area is not still (no level is read then). */
  quietMotion: number;
  /** After a fall, wait this long for the hand to reach pick-up or the exit before 'unknown'. */
  removalDestinationWaitMs: number;
  /** Motion in any zone at or above this counts as somebody at the lane. */
  motionActivity: number;
  /** No hand and no motion for this long after activity: the shopper left. */
  shopperLeftMs: number;
}

export const DEFAULT_TRACKER_CONFIG: Readonly<TrackerConfig> = {
  minHandScore: 0.5,
  maxAssociationDistance: 0.2,
  maxDropoutFrames: 5,
  holdOn: 0.6,
  holdOff: 0.35,
  holdConfirmFrames: 2,
  zoneConfirmFrames: 2,
  originLookbackMs: 2000,
  scanLingerMs: 600,
  scanTurnRatio: 2,
  minTurnPath: 0.06,
  passDwellEmitMs: 3000,
  parkMaxMs: 30_000,
  minOccupancyStep: 0.015,
  occupancyTolerance: 0.006,
  stepHoldMs: 400,
  quietMotion: 0.03,
  removalDestinationWaitMs: 2000,
  motionActivity: 0.02,
  shopperLeftMs: 6000,
};

/** Merges a partial config over the defaults and rejects settings no rule can work with. */
export function resolveTrackerConfig(partial: Partial<TrackerConfig> = {}): TrackerConfig {
  const cfg: TrackerConfig = { ...DEFAULT_TRACKER_CONFIG };
  for (const [key, value] of Object.entries(partial)) {
    // An explicit undefined must not wipe a default.
    if (value !== undefined) (cfg as unknown as Record<string, unknown>)[key] = value;
  }
  const errors: string[] = [];
  for (const [key, value] of Object.entries(cfg)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      errors.push(`${key}: must be a finite number >= 0`);
    }
  }
  if (cfg.holdOff > cfg.holdOn) errors.push('holdOff: must not be above holdOn (hysteresis)');
  if (cfg.occupancyTolerance >= cfg.minOccupancyStep) {
    errors.push('occupancyTolerance: must be below minOccupancyStep');
  }
  for (const key of ['holdConfirmFrames', 'zoneConfirmFrames'] as const) {
    if (!Number.isInteger(cfg[key]) || cfg[key] < 1) errors.push(`${key}: must be an integer >= 1`);
  }
  if (errors.length > 0) throw new RangeError(`Invalid tracker config: ${errors.join('; ')}`);
  return cfg;
}
