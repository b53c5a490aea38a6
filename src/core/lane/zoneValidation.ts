import {
  pointInPolygon,
  polygonArea,
  ZONE_NAMES,
  type LaneZones,
  type Point,
  type ZoneName,
} from './zones.ts';

/**
 * Checks a lane calibration before anyone relies on it: the kiosk before saving, the store server
 * before storing (the same code, so both refuse the same things with the same words). A zone the
 * tracker cannot use (too small, twisted, outside the image) would silently turn every scan into a
 * "no scan", so it is refused here with a message the installer can act on.
 */

/** Zones every lane must have; `exit` is optional (some cameras do not see the way out). */
export const REQUIRED_ZONES = ['pickup', 'scanner', 'bagging'] as const satisfies readonly ZoneName[];
/** 0.5 % of the image: smaller is a slip of the finger, not a zone a hand can be tracked into. */
export const MIN_ZONE_AREA = 0.005;
/** Enough for any hand-adjusted outline; more is a bug or an attack on the server. */
export const MAX_ZONE_POINTS = 64;
/**
 * Scanner and bagging may touch or overlap a little (a bag hanging over the scanner's edge), but if
 * more than this share of the smaller one lies inside the other, "scanned" and "bagged" cannot be
 * told apart.
 */
export const MAX_SCANNER_BAGGING_OVERLAP = 0.5;
const MAX_UPDATED_BY = 64;

export const ZONE_LABELS: Record<ZoneName, string> = {
  pickup: 'Pick-up (basket/cart)',
  scanner: 'Scanner',
  bagging: 'Bagging',
  exit: 'Exit',
};

export interface ZoneProblem {
  /** The zone the problem is about; null for the calibration as a whole. */
  zone: ZoneName | null;
  message: string;
}

export type ZoneValidation = { ok: true; value: LaneZones } | { ok: false; problems: ZoneProblem[] };

export interface ZoneValidationOptions {
  minArea?: number;
  maxOverlap?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates untrusted input (a request body, a cached copy) as LaneZones. On success the value is a
 * fresh copy holding only the known fields, so extra properties never reach storage.
 */
export function validateLaneZones(input: unknown, opts: ZoneValidationOptions = {}): ZoneValidation {
  const minArea = opts.minArea ?? MIN_ZONE_AREA;
  const maxOverlap = opts.maxOverlap ?? MAX_SCANNER_BAGGING_OVERLAP;
  const problems: ZoneProblem[] = [];
  const whole = (message: string) => problems.push({ zone: null, message });

  if (!isRecord(input)) {
    return { ok: false, problems: [{ zone: null, message: 'The calibration must be a JSON object.' }] };
  }
  if (input.v !== 1) whole(`Unknown calibration version ${JSON.stringify(input.v)}; expected v: 1.`);
  const updatedAt = input.updatedAt;
  if (typeof updatedAt !== 'string' || Number.isNaN(Date.parse(updatedAt))) {
    whole('updatedAt must be an ISO 8601 time.');
  }
  const updatedBy = input.updatedBy;
  if (updatedBy !== undefined && (typeof updatedBy !== 'string' || updatedBy.length > MAX_UPDATED_BY)) {
    whole(`updatedBy must be a string of at most ${MAX_UPDATED_BY} characters.`);
  }
  if (!isRecord(input.zones)) {
    whole('zones must be an object with pickup, scanner and bagging polygons.');
    return { ok: false, problems };
  }

  const rawZones = input.zones;
  const known = new Set<string>(ZONE_NAMES);
  for (const name of Object.keys(rawZones)) {
    if (!known.has(name)) whole(`Unknown zone "${name.slice(0, 32)}"; zones are ${ZONE_NAMES.join(', ')}.`);
  }
  const polygons: Partial<Record<ZoneName, Point[]>> = {};
  for (const name of ZONE_NAMES) {
    const raw = rawZones[name];
    const label = ZONE_LABELS[name];
    if (raw === undefined || raw === null) {
      if ((REQUIRED_ZONES as readonly ZoneName[]).includes(name)) {
        problems.push({ zone: name, message: `${label} zone is missing: draw it on the video.` });
      }
      continue;
    }
    const checked = checkPolygon(raw, label, minArea);
    if (typeof checked === 'string') problems.push({ zone: name, message: checked });
    else polygons[name] = checked;
  }

  const { scanner, bagging } = polygons;
  if (scanner && bagging) {
    const shared = overlapArea(scanner, bagging);
    const smaller = Math.min(polygonArea(scanner), polygonArea(bagging));
    if (shared / smaller > maxOverlap) {
      problems.push({
        zone: 'bagging',
        message:
          `Scanner and Bagging zones cover largely the same region (${Math.round((100 * shared) / smaller)} % ` +
          `of the smaller one; at most ${Math.round(maxOverlap * 100)} % allowed): draw them where each really is.`,
      });
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  const zones = polygons as LaneZones['zones'];
  const value: LaneZones = {
    v: 1,
    zones,
    updatedAt: new Date(Date.parse(updatedAt as string)).toISOString(),
  };
  if (typeof updatedBy === 'string') value.updatedBy = updatedBy;
  return { ok: true, value };
}

/** Problems as lines for a UI or an HTTP error body. */
export function describeZoneProblems(problems: readonly ZoneProblem[]): string[] {
  return problems.map((p) => p.message);
}

/** A clean copy of the polygon, or the reason it is unusable. */
function checkPolygon(raw: unknown, label: string, minArea: number): Point[] | string {
  if (!Array.isArray(raw)) return `${label} zone must be a list of points.`;
  if (raw.length < 3) return `${label} zone needs at least 3 points; it has ${raw.length}.`;
  if (raw.length > MAX_ZONE_POINTS) {
    return `${label} zone has ${raw.length} points; at most ${MAX_ZONE_POINTS} are allowed.`;
  }
  const points: Point[] = [];
  for (let i = 0; i < raw.length; i++) {
    const p: unknown = raw[i];
    if (!isRecord(p) || typeof p.x !== 'number' || typeof p.y !== 'number') {
      return `${label} zone: point ${i + 1} must be { x, y } numbers.`;
    }
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      return `${label} zone: point ${i + 1} is not a finite number.`;
    }
    if (p.x < 0 || p.x > 1 || p.y < 0 || p.y > 1) {
      return `${label} zone: point ${i + 1} (${fmt(p.x)}, ${fmt(p.y)}) lies outside the image (0..1).`;
    }
    points.push({ x: p.x, y: p.y });
  }
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % points.length]!;
    if (a.x === b.x && a.y === b.y) return `${label} zone: point ${i + 1} is repeated; remove it.`;
  }
  if (selfIntersects(points))
    return `${label} zone crosses itself: move its corners so the edges do not cross.`;
  const area = polygonArea(points);
  if (area < minArea) {
    return (
      `${label} zone is too small or flat (${fmt(area * 100)} % of the image; ` +
      `at least ${fmt(minArea * 100)} % needed): draw it larger.`
    );
  }
  return points;
}

function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** Sign of the turn a→b→c: 1 left, -1 right, 0 collinear. */
function orient(a: Point, b: Point, c: Point): number {
  const v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  return v > 1e-12 ? 1 : v < -1e-12 ? -1 : 0;
}

function onSegment(a: Point, b: Point, p: Point): boolean {
  return (
    Math.min(a.x, b.x) <= p.x &&
    p.x <= Math.max(a.x, b.x) &&
    Math.min(a.y, b.y) <= p.y &&
    p.y <= Math.max(a.y, b.y)
  );
}

/** Whether segments ab and cd meet, touching included. */
export function segmentsIntersect(a: Point, b: Point, c: Point, d: Point): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(a, b, c)) ||
    (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) ||
    (o4 === 0 && onSegment(c, d, b))
  );
}

/**
 * A simple polygon's non-neighbouring edges never meet, and neighbouring edges meet only at their
 * shared corner (a spike folding back onto its own edge counts as crossing).
 */
export function selfIntersects(poly: readonly Point[]): boolean {
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % n]!;
    for (let j = i + 1; j < n; j++) {
      const c = poly[j]!;
      const d = poly[(j + 1) % n]!;
      const neighbours = j === i + 1 || (i === 0 && j === n - 1);
      if (!neighbours) {
        if (segmentsIntersect(a, b, c, d)) return true;
        continue;
      }
      // Neighbours share one corner; they overlap only if the turn there is a full fold-back.
      const shared = j === i + 1 ? b : a;
      const other1 = j === i + 1 ? a : b;
      const other2 = j === i + 1 ? d : c;
      if (
        orient(other1, shared, other2) === 0 &&
        (other1.x - shared.x) * (other2.x - shared.x) + (other1.y - shared.y) * (other2.y - shared.y) > 0
      ) {
        return true;
      }
    }
  }
  return false;
}

const OVERLAP_GRID = 128;

/**
 * Area shared by two simple polygons, estimated on a 128x128 grid over the intersection of their
 * bounding boxes (cell centres). Exact clipping of arbitrary (possibly concave) polygons is far more
 * code than a threshold at 50 % needs; the grid error is below 1 % of the box here.
 */
export function overlapArea(p: readonly Point[], q: readonly Point[]): number {
  const box = (poly: readonly Point[]) => ({
    x0: Math.min(...poly.map((v) => v.x)),
    x1: Math.max(...poly.map((v) => v.x)),
    y0: Math.min(...poly.map((v) => v.y)),
    y1: Math.max(...poly.map((v) => v.y)),
  });
  const a = box(p);
  const b = box(q);
  const x0 = Math.max(a.x0, b.x0);
  const x1 = Math.min(a.x1, b.x1);
  const y0 = Math.max(a.y0, b.y0);
  const y1 = Math.min(a.y1, b.y1);
  if (x1 <= x0 || y1 <= y0) return 0;
  const dx = (x1 - x0) / OVERLAP_GRID;
  const dy = (y1 - y0) / OVERLAP_GRID;
  let inside = 0;
  for (let i = 0; i < OVERLAP_GRID; i++) {
    for (let j = 0; j < OVERLAP_GRID; j++) {
      const pt = { x: x0 + (i + 0.5) * dx, y: y0 + (j + 0.5) * dy };
      if (pointInPolygon(pt, p) && pointInPolygon(pt, q)) inside++;
    }
  }
  return inside * dx * dy;
}
