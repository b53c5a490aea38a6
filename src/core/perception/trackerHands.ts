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
