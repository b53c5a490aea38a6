/**
 * The records the perception tracker keeps between frames: item tracks (one per object a hand
 * holds), scanner stays, bagging visits and objects parked on the scanner plate. Plain data; the
 * rules that create and close them live in tracker.ts and trackerBagging.ts.
 */
import type { Point } from '../lane/zones.ts';
import type { HandTrack } from './trackerHands.ts';
import { EvidenceStats } from './trackerEvidence.ts';

/** Where a held object was first held, read from the hand's path (docs/perception.md). */
export type ItemOrigin = 'pickup' | 'bagging' | 'outside' | 'unknown';

export interface ItemTrack {
  /** The trackId of every event about this object. */
  id: number;
  origin: ItemOrigin;
  startMs: number;
  /** Last frame a hand was seen holding it. */
  lastMs: number;
  visitedScanner: boolean;
  evidence: EvidenceStats;
  /** Some event already carries this id (a later nonItemObject then makes sense). */
  emittedAny: boolean;
  moveEmitted: boolean;
  /** A bagging rise was attributed to it: it is in the bag. */
  placed: boolean;
}

/** One stay of a hand (or of an object resting on the plate) in the scanner zone. */
export interface ScannerStay {
  enterMs: number;
  lastInMs: number;
  /** The hand came into the scanner from the pick-up zone (within the look-back). */
  fromPickup: boolean;
  item?: ItemTrack;
  /** Time the hand held the item inside the scanner so far (linger rule). */
  heldMs: number;
  lastHeldFrameMs?: number;
  evidence: EvidenceStats;
  /** Palm path length and end points inside the scanner (turn rule). */
  pathLen: number;
  firstPt?: Point;
  lastPt?: Point;
  passEmitted: boolean;
  motionEmitted: boolean;
}

export type BaggingFrom = 'pickup' | 'scanner' | 'outside' | 'unknown';

/** One stay of a hand in the bagging zone; occupancy steps are explained by these. */
export interface BaggingVisit {
  handId: number;
  enterMs: number;
  /** Last frame in the zone; undefined while the hand is still there. */
  exitMs?: number;
  /** Where the hand came from (its path before entering). */
  fromZone: BaggingFrom;
  /** Object the hand brought in (held on entry or while inside, not picked up there). */
  carried?: ItemTrack;
  /** Object the hand picked up inside the zone. */
  picked?: ItemTrack;
  /** First of pick-up / exit the hand reached after leaving. */
  exitTo?: 'pickup' | 'exit';
  /** The hand was lost while in the zone (no destination will come). */
  lost: boolean;
  evidence: EvidenceStats;
  /** An occupancy step has been explained by this visit already. */
  used: boolean;
}

export interface HandState {
  track: HandTrack;
  item?: ItemTrack;
  stay?: ScannerStay;
  visit?: BaggingVisit;
}

/** An object set down on the scanner plate (weighed produce) waiting for a hand to take it. */
export interface ParkedItem {
  item: ItemTrack;
  stay: ScannerStay;
  parkedAtMs: number;
}

export function newItem(id: number, origin: ItemOrigin, startMs: number): ItemTrack {
  return {
    id,
    origin,
    startMs,
    lastMs: startMs,
    visitedScanner: false,
    evidence: new EvidenceStats(),
    emittedAny: false,
    moveEmitted: false,
    placed: false,
  };
}

export function newStay(enterMs: number, fromPickup: boolean): ScannerStay {
  return {
    enterMs,
    lastInMs: enterMs,
    fromPickup,
    heldMs: 0,
    evidence: new EvidenceStats(),
    pathLen: 0,
    passEmitted: false,
    motionEmitted: false,
  };
}
