/**
 * Hand tracks for the perception tracker: which detection in this frame is which hand of the last
 * frames, where each hand is (its zone, debounced) and whether it holds something (hysteresis,
 * debounced). Knows nothing about items or events; tracker.ts reacts to the transitions returned
 * here.
 */
import { zoneAt, type LaneZones, type Point, type ZoneName } from '../lane/zones.ts';
import type { HandObservation } from './frameObservation.ts';
import type { TrackerConfig } from './trackerConfig.ts';

/** Wrist and the four finger bases: stable while the fingers curl round an object. */
const PALM_LANDMARKS = [0, 5, 9, 13, 17] as const;
/** Zone history entries kept per hand (enough for any look-back in the rules). */
const HISTORY_LIMIT = 24;
/** A detection of the other handedness costs this much extra distance (labels flip sometimes). */
const HANDEDNESS_PENALTY = 0.05;

export interface ZoneVisit {
  zone: ZoneName | null;
  enterMs: number;
}

export interface HandTrack {
  id: number;
  handedness: HandObservation['handedness'];
  centre: Point;
  /** The latest detection (kept through dropouts; `missedFrames` says how stale it is). */
  last: HandObservation;
  /** Confirmed zone (null = outside every zone). */
  zone: ZoneName | null;
  /** Time of the last analysed frame that put the hand in its confirmed zone. */
  lastInZoneMs: number;
  pendingZone?: { zone: ZoneName | null; sinceMs: number; frames: number };
  holding: boolean;
  pendingHold?: { value: boolean; sinceMs: number; frames: number };
  /** Confirmed zones in order, newest last. */
  history: ZoneVisit[];
  /**
   * Where the grasp (finger tips) reached, debounced like the zone: the last analysed frame it was
   * confirmed in each zone. A hand reaching down into pick-up from the scanner side has its palm in
   * the scanner while its fingers close around the object in pick-up.
   */
  reachMs: Partial<Record<ZoneName, number>>;
  reachRun?: { zone: ZoneName | null; frames: number };
  /** Palm centre in the analysed frame before the latest (where it was heading when lost). */
  prevCentre?: Point;
  lastSeenMs: number;
  missedFrames: number;
}

export type HandTransition =
  | { kind: 'zone'; from: ZoneName | null; to: ZoneName | null; atMs: number; lastInFromMs: number }
  | { kind: 'hold'; holding: boolean; atMs: number };

export function palmCentre(hand: HandObservation): Point {
  let x = 0;
  let y = 0;
  for (const i of PALM_LANDMARKS) {
    const p = hand.landmarks[i]!;
    x += p.x;
    y += p.y;
  }
  return { x: x / PALM_LANDMARKS.length, y: y / PALM_LANDMARKS.length };
}

/** Thumb and finger tips: where what the hand holds is (the palm sits beside or above it). */
const GRASP_LANDMARKS = [4, 8, 12, 16, 20] as const;

/**
 * The centre of the grasp: a hand reaching down for an object from above has its palm outside the
 * object's zone while its fingers close around it there.
 */
export function graspPoint(hand: HandObservation): Point {
  let x = 0;
  let y = 0;
  for (const i of GRASP_LANDMARKS) {
    const p = hand.landmarks[i]!;
    x += p.x;
    y += p.y;
  }
  return { x: x / GRASP_LANDMARKS.length, y: y / GRASP_LANDMARKS.length };
}

export function newHandTrack(id: number, det: HandObservation, tMs: number, zones: LaneZones): HandTrack {
  const centre = palmCentre(det);
  const zone = zoneAt(centre, zones.zones);
  return {
    id,
    handedness: det.handedness,
    centre,
    last: det,
    zone,
    lastInZoneMs: tMs,
    holding: false,
    history: [{ zone, enterMs: tMs }],
    reachMs: {},
    reachRun: { zone: zoneAt(graspPoint(det), zones.zones), frames: 1 },
    lastSeenMs: tMs,
    missedFrames: 0,
  };
}

/**
 * Greedy nearest-palm matching, cheapest pair first. With at most a few hands per frame this is
 * the optimal assignment in practice and easy to explain. Pairs further apart than the gate stay
 * unmatched: the detection becomes a new hand, the track counts a missed frame.
 */
export function associate(
  tracks: readonly HandTrack[],
  detections: readonly HandObservation[],
  maxDistance: number,
): { pairs: [track: number, det: number][]; newDetections: number[] } {
  const candidates: { t: number; d: number; cost: number }[] = [];
  const centres = detections.map(palmCentre);
  tracks.forEach((track, t) => {
    centres.forEach((c, d) => {
      const dist = Math.hypot(c.x - track.centre.x, c.y - track.centre.y);
      if (dist > maxDistance) return;
      const penalty = detections[d]!.handedness === track.handedness ? 0 : HANDEDNESS_PENALTY;
      candidates.push({ t, d, cost: dist + penalty });
    });
  });
  candidates.sort((a, b) => a.cost - b.cost || a.t - b.t || a.d - b.d);
  const usedT = new Set<number>();
  const usedD = new Set<number>();
  const pairs: [number, number][] = [];
  for (const c of candidates) {
    if (usedT.has(c.t) || usedD.has(c.d)) continue;
    usedT.add(c.t);
    usedD.add(c.d);
    pairs.push([c.t, c.d]);
  }
  const newDetections = detections.map((_, d) => d).filter((d) => !usedD.has(d));
  return { pairs, newDetections };
}

/** Folds a matched detection into its track; returns the confirmed changes, zone first. */
export function observeHand(
  track: HandTrack,
  det: HandObservation,
  tMs: number,
  zones: LaneZones,
  cfg: TrackerConfig,
): HandTransition[] {
  const out: HandTransition[] = [];
  track.prevCentre = track.centre;
  track.centre = palmCentre(det);
  track.last = det;
  track.handedness = det.handedness;
  track.lastSeenMs = tMs;
  track.missedFrames = 0;

  const raw = zoneAt(track.centre, zones.zones);
  if (raw === track.zone) {
    track.pendingZone = undefined;
    track.lastInZoneMs = tMs;
  } else {
    const p = track.pendingZone;
    track.pendingZone =
      p && p.zone === raw ? { ...p, frames: p.frames + 1 } : { zone: raw, sinceMs: tMs, frames: 1 };
    if (track.pendingZone.frames >= cfg.zoneConfirmFrames) {
      const from = track.zone;
      const atMs = track.pendingZone.sinceMs;
      out.push({ kind: 'zone', from, to: raw, atMs, lastInFromMs: track.lastInZoneMs });
      track.zone = raw;
      track.lastInZoneMs = tMs;
      track.pendingZone = undefined;
      track.history.push({ zone: raw, enterMs: atMs });
      if (track.history.length > HISTORY_LIMIT) track.history.shift();
    }
  }

  const reach = zoneAt(graspPoint(det), zones.zones);
  const run = track.reachRun;
  track.reachRun =
    run && run.zone === reach ? { zone: reach, frames: run.frames + 1 } : { zone: reach, frames: 1 };
  if (reach !== null && track.reachRun.frames >= cfg.zoneConfirmFrames) track.reachMs[reach] = tMs;

  // Hysteresis: between holdOff and holdOn the current state stands.
  const wants = track.holding ? det.holding >= cfg.holdOff : det.holding >= cfg.holdOn;
  if (wants === track.holding) track.pendingHold = undefined;
  else {
    const p = track.pendingHold;
    track.pendingHold =
      p && p.value === wants ? { ...p, frames: p.frames + 1 } : { value: wants, sinceMs: tMs, frames: 1 };
    if (track.pendingHold.frames >= cfg.holdConfirmFrames) {
      out.push({ kind: 'hold', holding: wants, atMs: track.pendingHold.sinceMs });
      track.holding = wants;
      track.pendingHold = undefined;
    }
  }
  return out;
}

/**
 * Where the hand was before `beforeMs`, newest first, within the look-back: the confirmed zones
 * it left during that time (not the one it is in at `beforeMs`).
 */
export function zonesBefore(track: HandTrack, beforeMs: number, lookbackMs: number): (ZoneName | null)[] {
  const out: (ZoneName | null)[] = [];
  const h = track.history;
  for (let i = h.length - 1; i >= 0; i--) {
    const v = h[i]!;
    const next = h[i + 1];
    // The visit ended when the next one began; it counts if it ended inside the look-back.
    const endMs = next ? next.enterMs : Infinity;
    if (v.enterMs >= beforeMs) continue;
    if (endMs < beforeMs - lookbackMs) break;
    if (endMs > beforeMs) continue; // the zone it is in at beforeMs
    out.push(v.zone);
  }
  return out;
}

/**
 * The zone a lost hand was heading into: where its last detection was, if that is a zone other
 * than its confirmed one (not yet confirmed); otherwise the first other zone up to two frames
 * further along its last motion (clamped to the image: a hand leaving through an edge is in the
 * zone along that edge). Else where it was last seen.
 */
export function exitZone(track: HandTrack, zones: LaneZones): ZoneName | null {
  const raw = zoneAt(track.centre, zones.zones);
  if (raw !== null && raw !== track.zone) return raw;
  const prev = track.prevCentre;
  if (!prev) return raw;
  const clamp = (v: number) => Math.min(0.999, Math.max(0.001, v));
  const dx = track.centre.x - prev.x;
  const dy = track.centre.y - prev.y;
  for (const k of [1, 2]) {
    const z = zoneAt({ x: clamp(track.centre.x + k * dx), y: clamp(track.centre.y + k * dy) }, zones.zones);
    if (z !== null && z !== track.zone) return z;
  }
  return raw;
}
