/**
 * Test helper: synthetic frame observations for the perception tracker. A scene moves hands along
 * paths through a lane's zones (holding on or off), sets the still-bag occupancy level over time,
 * and adds seeded noise, detector dropouts and motion-gated frames, then renders what the
 * inference worker would report for each frame.
 */
import { mulberry32 } from '../random.ts';
import { zoneAt, type LaneZones, type Point, type Polygon, type ZoneName } from '../lane/zones.ts';
import type { FrameObservation, HandObservation } from './frameObservation.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
];

/** Basket left, scanner in the middle, bag right, exit below the bag; the shopper stands at the top. */
export const TEST_ZONES: LaneZones = {
  v: 1,
  zones: {
    pickup: rect(0.02, 0.2, 0.3, 0.9),
    scanner: rect(0.38, 0.3, 0.58, 0.7),
    bagging: rect(0.66, 0.2, 0.98, 0.88),
    exit: rect(0.66, 0.9, 1, 1),
  },
  updatedAt: '2026-11-22T08:00:00Z',
};

/** Named spots of TEST_ZONES; the last four lie outside every zone. */
export const PLACES = {
  pickup: { x: 0.15, y: 0.55 },
  scanner: { x: 0.48, y: 0.5 },
  bagging: { x: 0.82, y: 0.55 },
  exit: { x: 0.83, y: 0.95 },
  /** Between scanner and bag. */
  gap: { x: 0.62, y: 0.5 },
  /** Above the scanner, where a hand goes round it. */
  around: { x: 0.48, y: 0.14 },
  /** Near the kiosk screen (shopper's side). */
  screen: { x: 0.5, y: 0.06 },
  /** The shopper's own bag or pocket. */
  ownBag: { x: 0.9, y: 0.08 },
} as const satisfies Record<string, Point>;

export type Place = keyof typeof PLACES;

/** `at` a time, be at a place; `holding` applies from this key until the next one. */
export interface Key {
  t: number;
  at: Place | Point;
  holding: number;
}

export interface HandScript {
  keys: Key[];
  score?: number;
  handedness?: HandObservation['handedness'];
  /** Moves the five finger tips by this much: a hand reaching into a zone beside its palm. */
  reach?: Point;
  /** Time ranges in which the detector misses this hand. */
  dropouts?: [number, number][];
}

export interface Scene {
  durationMs: number;
  fps?: number;
  seed?: number;
  hands: HandScript[];
  /** Still-bag occupancy: `level` from time `t` on (starts at `bagStart`). */
  bag?: { t: number; level: number }[];
  bagStart?: number;
  noise?: { position?: number; holding?: number; occupancy?: number };
  /** Frames in these ranges are skipped by motion gating (analysed false, last result repeated). */
  gated?: [number, number][];
  startMs?: number;
}

/**
 * Keys for one hand from a list of legs: `[place, ms to get there, holding from arrival]`.
 * The hand appears at the first place at `t0` with the first leg's holding.
 */
export function path(t0: number, legs: readonly [Place | Point, number, number][]): Key[] {
  const keys: Key[] = [];
  let t = t0;
  for (const [at, ms, holding] of legs) {
    t += ms;
    keys.push({ t, at, holding });
  }
  return keys;
}

/** Offsets of the 21 landmarks from the palm centre (wrist + finger bases average to zero). */
const TEMPLATE: readonly Point[] = (() => {
  const pts: Point[] = [{ x: 0, y: 0.1 }];
  const bases = [-0.045, -0.03, -0.01, 0.01, 0.03];
  for (let f = 0; f < 5; f++) {
    for (let j = 1; j <= 4; j++) pts.push({ x: bases[f]! * (1 + j * 0.1), y: -0.025 * j });
  }
  // Shift so that landmarks 0, 5, 9, 13, 17 average to (0, 0).
  const idx = [0, 5, 9, 13, 17];
  const mx = idx.reduce((s, i) => s + pts[i]!.x, 0) / idx.length;
  const my = idx.reduce((s, i) => s + pts[i]!.y, 0) / idx.length;
  return pts.map((p) => ({ x: p.x - mx, y: p.y - my }));
})();

const TIP_LANDMARKS: readonly number[] = [4, 8, 12, 16, 20];

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const pointOf = (at: Place | Point): Point => (typeof at === 'string' ? PLACES[at] : at);

function handAt(script: HandScript, t: number): { p: Point; holding: number } | undefined {
  const keys = script.keys;
  if (keys.length === 0 || t < keys[0]!.t || t > keys[keys.length - 1]!.t) return undefined;
  for (let i = 0; i < keys.length; i++) {
    const a = keys[i]!;
    const b = keys[i + 1];
    if (!b || t < b.t) {
      if (!b || b.t === a.t) return { p: pointOf(a.at), holding: a.holding };
      const f = (t - a.t) / (b.t - a.t);
      const pa = pointOf(a.at);
      const pb = pointOf(b.at);
      return { p: { x: pa.x + (pb.x - pa.x) * f, y: pa.y + (pb.y - pa.y) * f }, holding: a.holding };
    }
  }
  return undefined;
}

const inRanges = (t: number, ranges: readonly [number, number][] | undefined) =>
  (ranges ?? []).some(([a, b]) => t >= a && t <= b);

/** Renders the scene into frames, as the inference worker would report them. */
export function renderScene(scene: Scene, zones: LaneZones = TEST_ZONES): FrameObservation[] {
  const rnd = mulberry32(scene.seed ?? 1);
  const gauss = () => (rnd() + rnd() + rnd() - 1.5) * 0.8; // ~N(0, 0.6^2), bounded
  const fps = scene.fps ?? 15;
  const start = scene.startMs ?? 1_000_000;
  const posNoise = scene.noise?.position ?? 0.003;
  const holdNoise = scene.noise?.holding ?? 0.05;
  const occNoise = scene.noise?.occupancy ?? 0.001;
  const frames: FrameObservation[] = [];
  const prev = new Map<number, Point>();
  let lastAnalysed: FrameObservation | undefined;
  let lastLevel = scene.bagStart ?? 0.1;
  let levelChangedAt = -Infinity;

  for (let i = 0; (i * 1000) / fps <= scene.durationMs; i++) {
    const t = (i * 1000) / fps;
    const tMs = start + Math.round(t);
    if (inRanges(t, scene.gated) && lastAnalysed) {
      frames.push({ ...lastAnalysed, tMs, analysed: false, motion: {} });
      continue;
    }
    let level = scene.bagStart ?? 0.1;
    for (const s of scene.bag ?? []) if (t >= s.t) level = s.level;
    if (level !== lastLevel) levelChangedAt = t;
    lastLevel = level;

    const hands: HandObservation[] = [];
    const occupancy: Partial<Record<ZoneName, number>> = {
      pickup: 0.3,
      scanner: 0.02,
      bagging: level,
      exit: 0,
    };
    const motion: Partial<Record<ZoneName, number>> = { pickup: 0, scanner: 0, bagging: 0, exit: 0 };
    scene.hands.forEach((script, h) => {
      const at = handAt(script, t);
      if (!at) {
        prev.delete(h);
        return;
      }
      const zone = zoneAt(at.p, zones.zones);
      const before = prev.get(h);
      prev.set(h, at.p);
      if (zone) {
        // A hand covers pixels of its zone and moves them.
        occupancy[zone] = (occupancy[zone] ?? 0) + 0.05;
        const moved = before ? Math.hypot(at.p.x - before.x, at.p.y - before.y) : 0;
        if (moved > 0.002 || at.holding > 0.5) motion[zone] = Math.max(motion[zone] ?? 0, 0.12);
      }
      if (inRanges(t, script.dropouts)) return;
      const cx = at.p.x + gauss() * posNoise;
      const cy = at.p.y + gauss() * posNoise;
      hands.push({
        landmarks: TEMPLATE.map((o, i) => {
          const r = script.reach && TIP_LANDMARKS.includes(i) ? script.reach : { x: 0, y: 0 };
          return { x: cx + o.x + r.x, y: cy + o.y + r.y };
        }),
        handedness: script.handedness ?? (h % 2 === 0 ? 'Right' : 'Left'),
        score: clamp01((script.score ?? 0.92) + gauss() * 0.02),
        holding: clamp01(at.holding + gauss() * holdNoise),
      });
    });
    if (t - levelChangedAt < 200) motion.bagging = Math.max(motion.bagging ?? 0, 0.1);
    for (const z of Object.keys(occupancy) as ZoneName[]) {
      occupancy[z] = clamp01((occupancy[z] ?? 0) + gauss() * occNoise);
    }
    const frame: FrameObservation = { tMs, analysed: true, hands, occupancy, motion };
    lastAnalysed = frame;
    frames.push(frame);
  }
  return frames;
}

/**
 * A hand that comes in from outside the zones, reaches down into pick-up from the scanner side
 * (palm in the scanner, finger tips round an object in pick-up), grips (`grip` holding: weak, the
 * resting object still looks like the background), lifts (`lift` holding) and carries it out of
 * the picture through the bagging side within one frame, so its palm is never confirmed there.
 * The bottle clip of the pixel evaluation has this shape.
 */
export function reachAndCarryOut(t0: number, grip: number, lift: number): HandScript {
  return {
    keys: path(t0, [
      ['around', 0, 0.1],
      [{ x: 0.4, y: 0.5 }, 400, grip],
      [{ x: 0.4, y: 0.5 }, 600, lift],
      [{ x: 0.4, y: 0.45 }, 300, lift],
      [{ x: 0.75, y: 0.45 }, 150, lift],
    ]),
    reach: { x: -0.15, y: 0.1 },
  };
}
