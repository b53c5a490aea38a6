import type { NormPoint } from './handsMapping.ts';

/**
 * Synthetic 21-point hands for tests, drawn as seen from the side: the palm points up from the
 * wrist and every finger joint bends by `bendDeg` towards the palm side (+x). 0 = open hand,
 * ~40 = fingers wrapped round a bottle, ~85 = tight fist. Returned in camera-normalised
 * coordinates for an image of the given aspect (width / height).
 */
export function syntheticHand(opts: {
  bendDeg: number;
  wrist?: NormPoint;
  palm?: number;
  aspect?: number;
  thumbGap?: number;
}): NormPoint[] {
  const aspect = opts.aspect ?? 16 / 9;
  const palm = opts.palm ?? 0.12;
  const wrist = opts.wrist ?? { x: 0.5 * aspect, y: 0.7 };
  const bend = (opts.bendDeg * Math.PI) / 180;
  const pts: NormPoint[] = new Array<NormPoint>(21);
  pts[0] = wrist;
  // Thumb: out to the palm side, then up; its tip sits `thumbGap` palm lengths off the palm.
  const gap = opts.thumbGap ?? 0.5;
  for (let i = 1; i <= 4; i++) {
    const t = i / 4;
    pts[i] = { x: wrist.x + palm * (0.2 + gap * t), y: wrist.y - palm * 0.25 * i };
  }
  const knuckles = [-0.3, -0.1, 0.1, 0.28];
  const lengths = [0.45, 0.3, 0.25];
  knuckles.forEach((dx, f) => {
    const mcp = { x: wrist.x + dx * palm, y: wrist.y - palm * (f === 1 ? 1 : 0.95) };
    const base = 5 + 4 * f;
    pts[base] = mcp;
    let angle = -Math.PI / 2; // straight up
    let p = mcp;
    for (let j = 0; j < 3; j++) {
      angle += bend;
      p = { x: p.x + Math.cos(angle) * lengths[j]! * palm, y: p.y + Math.sin(angle) * lengths[j]! * palm };
      pts[base + 1 + j] = p;
    }
  });
  return pts.map((p) => ({ x: p.x / aspect, y: p.y }));
}
