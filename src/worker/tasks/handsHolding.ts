/**
 * "Is this hand holding something?" from one frame: a heuristic, 0..1, with two halves.
 *
 * - Pose: the four fingers are curled (fingertips no longer far from the wrist) but their tips
 *   stay away from the palm, as when they wrap around an object; an open hand and a tight fist
 *   both score low.
 * - Appearance: beside the hand (a disc around the grasp, minus the hand's own bones and palm and
 *   minus the arm side), how much of the image differs from the empty-lane background: a held
 *   bottle or box sticks out of the fist, an empty hand shows the counter.
 *
 * Landmarks are normalised camera coordinates (0..1); `aspect` (camera width / height) makes
 * distances isotropic. Thresholds were set on synthetic poses and the bottle video; they are not
 * fitted to labelled data (there is none yet), so treat the value as a ranking, not a probability.
 */
import { pointInPolygon } from '../../core/lane/zones.ts';
import type { NormPoint } from './handsMapping.ts';

/** A coarse foreground map over the camera image (the zone analysis grid). */
export interface ForegroundMap {
  width: number;
  height: number;
  /** 1 = differs from the background. Row-major, width * height. */
  cells: Uint8Array;
}

export interface HoldingEstimate {
  holding: number;
  pose: number;
  /** null when no background model is available yet. */
  appearance: number | null;
}

const FINGERS = [
  [5, 8],
  [9, 12],
  [13, 16],
  [17, 20],
] as const;

/** Bones of the MediaPipe hand skeleton (pairs of landmark indices). */
const BONES = [
  [0, 1], [1, 2], [2, 3], [3, 4], [0, 5], [5, 6], [6, 7], [7, 8], [5, 9], [9, 10], [10, 11], [11, 12],
  [9, 13], [13, 14], [14, 15], [15, 16], [13, 17], [0, 17], [17, 18], [18, 19], [19, 20],
] as const; // prettier-ignore

/** Half the width of a finger, in palm lengths (wrist to middle-finger knuckle). */
const BONE_RADIUS = 0.22;
/** The disc searched for a held object, in palm lengths around the grasp centre. */
const GRASP_RADIUS = 1.1;

function ramp(v: number, from: number, to: number): number {
  const t = (v - from) / (to - from);
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

function iso(p: NormPoint, aspect: number): NormPoint {
  return { x: p.x * aspect, y: p.y };
}

function dist(a: NormPoint, b: NormPoint): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function mean(points: NormPoint[]): NormPoint {
  const s = points.reduce((acc, p) => ({ x: acc.x + p.x, y: acc.y + p.y }), { x: 0, y: 0 });
  return { x: s.x / points.length, y: s.y / points.length };
}

function pointSegmentDistance(p: NormPoint, a: NormPoint, b: NormPoint): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function checkLandmarks(landmarks: readonly NormPoint[]): void {
  if (landmarks.length !== 21) throw new RangeError(`a hand has 21 landmarks, got ${landmarks.length}`);
}

/** Palm length (wrist to middle knuckle) in isotropic units; 0 for a degenerate hand. */
function palmLength(h: NormPoint[]): number {
  return dist(h[0]!, h[9]!);
}

/** 0..1: fingers curled around a gap, from the pose alone. */
export function gripPose(landmarks: readonly NormPoint[], aspect: number): number {
  checkLandmarks(landmarks);
  const h = landmarks.map((p) => iso(p, aspect));
  const palm = palmLength(h);
  if (palm < 1e-6) return 0;
  const palmCentre = mean([h[0]!, h[5]!, h[9]!, h[13]!, h[17]!]);
  let curl = 0;
  let gap = 0;
  for (const [mcp, tip] of FINGERS) {
    // An open finger's tip is ~1.9 knuckle distances from the wrist; curled, ~1.0-1.5.
    const reach = dist(h[tip]!, h[0]!) / Math.max(dist(h[mcp]!, h[0]!), 1e-6);
    curl += ramp(reach, 1.85, 1.45);
    gap += dist(h[tip]!, palmCentre) / palm;
  }
  curl /= FINGERS.length;
  gap /= FINGERS.length;
  // In a fist the tips touch the palm (~0.3-0.45 palm lengths from its centre); around an object
  // they are held off it.
  return curl * ramp(gap, 0.45, 0.65);
}

/** 0..1: how much of the area beside the grasp differs from the empty lane. */
export function objectBesideHand(landmarks: readonly NormPoint[], aspect: number, fg: ForegroundMap): number {
  checkLandmarks(landmarks);
  if (fg.cells.length !== fg.width * fg.height) throw new RangeError('foreground map size mismatch');
  const h = landmarks.map((p) => iso(p, aspect));
  const palm = palmLength(h);
  if (palm < 1e-6) return 0;
  const wrist = h[0]!;
  const axis = { x: (h[9]!.x - wrist.x) / palm, y: (h[9]!.y - wrist.y) / palm };
  const grasp = mean([h[4]!, h[8]!, h[12]!, h[16]!, h[20]!, h[9]!]);
  const palmArea = [h[0]!, h[1]!, h[5]!, h[9]!, h[13]!, h[17]!];
  const r = GRASP_RADIUS * palm;
  const cellW = aspect / fg.width;
  const cellH = 1 / fg.height;
  const gx0 = Math.max(0, Math.floor((grasp.x - r) / cellW));
  const gx1 = Math.min(fg.width - 1, Math.floor((grasp.x + r) / cellW));
  const gy0 = Math.max(0, Math.floor((grasp.y - r) / cellH));
  const gy1 = Math.min(fg.height - 1, Math.floor((grasp.y + r) / cellH));
  let considered = 0;
  let differing = 0;
  for (let gy = gy0; gy <= gy1; gy++) {
    for (let gx = gx0; gx <= gx1; gx++) {
      const p = { x: (gx + 0.5) * cellW, y: (gy + 0.5) * cellH };
      if (dist(p, grasp) > r) continue;
      // Behind the wrist is the forearm, which differs from the lane but is not an object.
      if ((p.x - wrist.x) * axis.x + (p.y - wrist.y) * axis.y < 0) continue;
      if (pointInPolygon(p, palmArea)) continue;
      if (BONES.some(([a, b]) => pointSegmentDistance(p, h[a]!, h[b]!) < BONE_RADIUS * palm)) continue;
      considered++;
      differing += fg.cells[gy * fg.width + gx]!;
    }
  }
  if (considered === 0) return 0;
  // A few differing cells come from shadows and the hand's outline; a held object fills a third
  // or more of the disc.
  return ramp(differing / considered, 0.08, 0.35);
}

/** Pose and appearance combined; pose alone until the background model is ready. */
export function estimateHolding(
  landmarks: readonly NormPoint[],
  aspect: number,
  fg: ForegroundMap | null,
): HoldingEstimate {
  const pose = gripPose(landmarks, aspect);
  if (!fg) return { holding: pose, pose, appearance: null };
  const appearance = objectBesideHand(landmarks, aspect, fg);
  return { holding: 0.5 * pose + 0.5 * appearance, pose, appearance };
}
