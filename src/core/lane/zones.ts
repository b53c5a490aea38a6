/**
 * The lane's calibration: where, in the camera image, the shopper picks goods up, scans them,
 * bags them and leaves. Drawn once per lane by an installer on the live video (calibration
 * screen), stored on the kiosk and on the store server, and read by the perception tracker.
 *
 * Coordinates are normalised to the camera image (0..1, x to the right, y down), so a zone stays
 * put when the camera resolution or the recording size changes. A zone is a simple polygon of at
 * least three points (a dragged rectangle is four).
 */
export const ZONE_NAMES = ['pickup', 'scanner', 'bagging', 'exit'] as const;
export type ZoneName = (typeof ZONE_NAMES)[number];

export interface Point {
  x: number;
  y: number;
}

export type Polygon = readonly Point[];

export interface LaneZones {
  v: 1;
  /** Every zone except `exit` is required; a lane without a visible exit leaves it out. */
  zones: Partial<Record<ZoneName, Polygon>> & Record<'pickup' | 'scanner' | 'bagging', Polygon>;
  /** Who drew them and when (ISO 8601), for the audit of a disputed suspicion. */
  updatedAt: string;
  updatedBy?: string;
}

/** Ray casting; points on an edge may fall either way, which is fine for image pixels. */
export function pointInPolygon(p: Point, poly: Polygon): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** The bounding box of a non-empty list of points, in their own coordinates. */
export function boundsOf(points: readonly Point[]): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  return { x0, y0, x1, y1 };
}

/** Signed-area magnitude (shoelace), in normalised units. */
export function polygonArea(poly: Polygon): number {
  let s = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++)
    s += poly[j]!.x * poly[i]!.y - poly[i]!.x * poly[j]!.y;
  return Math.abs(s) / 2;
}

/** The zone a point lies in, checked in a fixed order (the scanner wins where zones overlap). */
export function zoneAt(p: Point, zones: LaneZones['zones']): ZoneName | null {
  for (const name of ['scanner', 'bagging', 'pickup', 'exit'] as const) {
    const poly = zones[name];
    if (poly && pointInPolygon(p, poly)) return name;
  }
  return null;
}
