/**
 * Perception event contract, version 1: what the lane's vision worker tells the fusion engine.
 *
 * The worker watches three zones of the kiosk (pick-up / basket side, scanner, bagging area) and
 * keeps one track per moving object. It never knows about the order; the fusion engine lines its
 * events up against POS events. That only works if both share a clock, so every time here is in
 * milliseconds on the POS clock (`Date.parse(posEvent.at)`); the worker is expected to correct
 * for its own offset before emitting.
 *
 * Every event carries the frame range it was derived from (`startMs`..`endMs`) so that a
 * suspicion can point a reviewer (and the on-screen replay) at exactly those frames, and a
 * `confidence` so that the engine can refuse to act on a single weak detection.
 */
export const PERCEPTION_CONTRACT_VERSION = 1 as const;

export type SizeClass = 'small' | 'medium' | 'large';

/** Things that move in view but are never goods from the pick-up zone. */
export type NonItemKind = 'bag' | 'phone' | 'wallet' | 'child' | 'unknown';

export interface PerceptionEventBase {
  v: typeof PERCEPTION_CONTRACT_VERSION;
  /** When the worker emitted the event (ms, POS clock). Always >= endMs. */
  atMs: number;
  /** First frame of the evidence (ms, POS clock). */
  startMs: number;
  /** Last frame of the evidence (ms, POS clock). */
  endMs: number;
  /** Detector confidence for the event as a whole, 0..1. */
  confidence: number;
}

/** A hand crossed the scanner zone coming from the pick-up side. */
export interface ItemPassedScanner extends PerceptionEventBase {
  type: 'itemPassedScanner';
  trackId: number;
  fromZone: 'pickup' | 'unknown';
  /** False when the hand was empty; an empty hand is never an item. */
  holdingItem: boolean;
  /** How long the object stayed on the scanner plate; a long rest means it was being weighed. */
  dwellMs?: number;
}

/** A scanning gesture (presenting / turning an object over the scanner window). */
export interface ScanMotion extends PerceptionEventBase {
  type: 'scanMotion';
  trackId: number;
}

/** Emitted once the object lands in the bagging zone: the whole trajectory from pick-up. */
export interface ItemMovedPickupToBagging extends PerceptionEventBase {
  type: 'itemMovedPickupToBagging';
  trackId: number;
  /** Whether the trajectory crossed the scanner zone. */
  viaScanner: boolean;
}

/** Objects set down in the bagging zone. */
export interface ItemPlacedInBagging extends PerceptionEventBase {
  type: 'itemPlacedInBagging';
  trackId: number;
  /** Estimated number of separate objects set down at once (default 1). */
  count?: number;
  /** Confidence of the count estimate alone, 0..1 (defaults to `confidence`). */
  countConfidence?: number;
  /** Where the object came from; 'outside' = the shopper's side (own bag, phone), not the goods. */
  fromZone?: 'pickup' | 'scanner' | 'outside' | 'unknown';
}

/** An object left the bagging zone. */
export interface ItemRemovedFromBagging extends PerceptionEventBase {
  type: 'itemRemovedFromBagging';
  trackId: number;
  toZone: 'pickup' | 'exit' | 'unknown';
}

/** Number of hands inside the scanner zone (informational; kept for replay). */
export interface HandsInScanner extends PerceptionEventBase {
  type: 'handsInScanner';
  count: number;
}

/** What the object looks like; evidence for wrong-scan (ticket switching) checks. */
export interface ItemAppearance extends PerceptionEventBase {
  type: 'itemAppearance';
  trackId: number;
  /** Text read off the packaging (OCR), raw. */
  labelText?: string;
  /** Coarse colour histogram, normalised to sum 1 (kept for audit; the engine does not use it). */
  colorHist?: number[];
  sizeClass?: SizeClass;
  /** Best match in the product gallery. */
  matchGtin?: string;
  /** Similarity of that best match, 0..1. */
  matchScore?: number;
}

/** The track is not merchandise from the pick-up zone. */
export interface NonItemObject extends PerceptionEventBase {
  type: 'nonItemObject';
  trackId: number;
  kind: NonItemKind;
}

/** Nobody is standing at the lane any more. */
export interface ShopperLeft extends PerceptionEventBase {
  type: 'shopperLeft';
}

export type PerceptionEvent =
  | ItemPassedScanner
  | ScanMotion
  | ItemMovedPickupToBagging
  | ItemPlacedInBagging
  | ItemRemovedFromBagging
  | HandsInScanner
  | ItemAppearance
  | NonItemObject
  | ShopperLeft;

export type PerceptionEventType = PerceptionEvent['type'];

export const PERCEPTION_EVENT_TYPES: readonly PerceptionEventType[] = [
  'itemPassedScanner',
  'scanMotion',
  'itemMovedPickupToBagging',
  'itemPlacedInBagging',
  'itemRemovedFromBagging',
  'handsInScanner',
  'itemAppearance',
  'nonItemObject',
  'shopperLeft',
];
