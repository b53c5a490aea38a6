/**
 * Golden hand landmarks and how detections are scored against them (plain TypeScript, no DOM, so
 * the scoring is unit-tested in Node). Upstream (tfjs-models hand-pose-detection) compares x and y
 * of every point per coordinate (`expectArraysClose`): 20 px on the still, 26 px on the video.
 */
export type Point2 = readonly [number, number];
/** One hand: 21 points in MediaPipe order. */
export type Hand2 = readonly Point2[];

export const STILL_TOLERANCE_PX = 20;
export const VIDEO_TOLERANCE_PX = 26;
export const VIDEO_FRAME_MS = 40;

export interface StillGolden {
  width: number;
  height: number;
  tolerancePx: number;
  hands: Hand2[];
}

function isPoint(v: unknown): v is number[] {
  return Array.isArray(v) && v.length >= 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
}

function toHand(v: unknown, where: string): Hand2 {
  if (!Array.isArray(v) || v.length !== 21 || !v.every(isPoint))
    throw new Error(`${where}: expected 21 points of [x, y, ...] numbers`);
  return v.map((p) => [p[0]!, p[1]!] as const);
}

/** hands/tfjs_hands.expected_keypoints.json */
export function parseStillGolden(json: unknown): StillGolden {
  const o = json as { image_size?: unknown; tolerance_px?: unknown; hands?: unknown };
  if (!o || !Array.isArray(o.hands) || o.hands.length === 0)
    throw new Error('still golden: no "hands" array');
  const size = Array.isArray(o.image_size) ? o.image_size : [];
  if (typeof size[0] !== 'number' || typeof size[1] !== 'number')
    throw new Error('still golden: "image_size" must be [width, height]');
  return {
    width: size[0],
    height: size[1],
    tolerancePx: typeof o.tolerance_px === 'number' ? o.tolerance_px : STILL_TOLERANCE_PX,
    hands: o.hands.map((h, i) => toHand(h, `still golden hand ${i}`)),
  };
}

/** videos/tfjs_asl_hand.full.json: frames x 21 x [x, y, z]; z is dropped as upstream does. */
export function parseVideoGolden(json: unknown): Hand2[] {
  if (!Array.isArray(json) || json.length === 0) throw new Error('video golden: expected an array of frames');
  return json.map((f, i) => toHand(f, `video golden frame ${i}`));
}

const dist = (a: Point2, b: Point2) => Math.hypot(a[0] - b[0], a[1] - b[1]);

function meanDistance(a: Hand2, b: Hand2): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += dist(a[i]!, b[i]!);
  return s / a.length;
}

/** Every way to give each golden hand a distinct detection (or none when detections run out). */
function assignments(nGolden: number, nDetected: number): (number | null)[][] {
  const out: (number | null)[][] = [];
  const pick = (i: number, used: Set<number>, acc: (number | null)[]) => {
    if (i === nGolden) return void out.push([...acc]);
    let placed = false;
    for (let d = 0; d < nDetected; d++) {
      if (used.has(d)) continue;
      placed = true;
      used.add(d);
      pick(i + 1, used, [...acc, d]);
      used.delete(d);
    }
    // Only leave a golden hand unmatched when there are fewer detections than golden hands.
    if (!placed || nDetected - used.size < nGolden - i) pick(i + 1, used, [...acc, null]);
  };
  pick(0, new Set(), []);
  return out;
}

/**
 * Best assignment of detected hands to golden hands: the one matching the most golden hands, then
 * with the smallest summed mean point distance (exhaustive; a lane sees at most a few hands).
 */
export function matchHands(golden: readonly Hand2[], detected: readonly Hand2[]): (number | null)[] {
  let best: (number | null)[] = golden.map(() => null);
  let bestKey: [number, number] = [0, Infinity];
  for (const a of assignments(golden.length, detected.length)) {
    const matched = a.filter((d) => d !== null).length;
    const cost = a.reduce<number>(
      (s, d, g) => (d === null ? s : s + meanDistance(golden[g]!, detected[d]!)),
      0,
    );
    if (matched > bestKey[0] || (matched === bestKey[0] && cost < bestKey[1])) {
      best = a;
      bestKey = [matched, cost];
    }
  }
  return best;
}

/** Per-point errors of one golden hand against its match; null detection = every point missed. */
export interface PointErrors {
  /** Euclidean distance per point (px); NaN when the hand was not detected. */
  euclid: number[];
  /** max(|dx|, |dy|) per point (px), the quantity upstream's per-coordinate check bounds. */
  perCoordinate: number[];
}

export function pointErrors(golden: Hand2, detected: Hand2 | null): PointErrors {
  if (!detected) return { euclid: golden.map(() => NaN), perCoordinate: golden.map(() => NaN) };
  return {
    euclid: golden.map((g, i) => dist(g, detected[i]!)),
    perCoordinate: golden.map((g, i) =>
      Math.max(Math.abs(g[0] - detected[i]![0]), Math.abs(g[1] - detected[i]![1])),
    ),
  };
}

export interface ErrorSummary {
  /** Golden points scored (missed hands included). */
  points: number;
  /** Golden points whose hand was not detected at all. */
  missed: number;
  meanPx: number;
  p95Px: number;
  maxPx: number;
  /** Largest per-coordinate error (upstream's criterion). */
  maxPerCoordinatePx: number;
  tolerancePx: number;
  /** Share of all golden points (missed ones count as outside) with both |dx| and |dy| within tolerance. */
  withinTolerance: number;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function summarise(errors: readonly PointErrors[], tolerancePx: number): ErrorSummary {
  const euclid: number[] = [];
  const perCoord: number[] = [];
  let points = 0;
  let missed = 0;
  let within = 0;
  for (const e of errors) {
    for (let i = 0; i < e.euclid.length; i++) {
      points++;
      const d = e.euclid[i]!;
      if (Number.isNaN(d)) {
        missed++;
        continue;
      }
      euclid.push(d);
      perCoord.push(e.perCoordinate[i]!);
      if (e.perCoordinate[i]! <= tolerancePx) within++;
    }
  }
  euclid.sort((a, b) => a - b);
  const mean = euclid.length ? euclid.reduce((s, v) => s + v, 0) / euclid.length : NaN;
  return {
    points,
    missed,
    meanPx: mean,
    p95Px: percentile(euclid, 0.95),
    maxPx: euclid.length ? euclid[euclid.length - 1]! : NaN,
    maxPerCoordinatePx: perCoord.length ? Math.max(...perCoord) : NaN,
    tolerancePx,
    withinTolerance: points ? within / points : NaN,
  };
}

/** Scores one image: each golden hand against its best-assigned detection. */
export function scoreFrame(golden: readonly Hand2[], detected: readonly Hand2[]): PointErrors[] {
  const match = matchHands(golden, detected);
  return golden.map((g, i) => pointErrors(g, match[i] === null ? null : detected[match[i]!]!));
}
