import {
  ZONE_NAMES,
  boundsOf,
  pointInPolygon,
  type LaneZones,
  type Polygon,
  type ZoneName,
} from '../../core/lane/zones.ts';

/** Cell indices (row-major) of each zone in a small analysis grid that covers the camera image. */
export type ZoneMasks = Partial<Record<ZoneName, Uint32Array>>;

/**
 * Rasterises normalised zone polygons onto a `width` x `height` grid laid over the camera image
 * (not the letterboxed canvas): a cell belongs to a zone when its centre lies inside the polygon.
 * A zone too small to hold any cell centre still gets the cell under its centroid, so a tiny zone
 * is measured coarsely instead of reporting nothing.
 */
export function rasterizeZones(zones: LaneZones['zones'], width: number, height: number): ZoneMasks {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`zone grid must be at least 1x1 whole cells, got ${width}x${height}`);
  const masks: ZoneMasks = {};
  for (const name of ZONE_NAMES) {
    const poly = zones[name];
    if (!poly) continue;
    masks[name] = rasterizePolygon(poly, width, height);
  }
  return masks;
}

function rasterizePolygon(poly: Polygon, width: number, height: number): Uint32Array {
  const cells: number[] = [];
  // Only rows and columns inside the polygon's bounding box can hold cells.
  const { x0: minX, y0: minY, x1: maxX, y1: maxY } = boundsOf(poly);
  const x0 = Math.max(0, Math.floor(minX * width));
  const x1 = Math.min(width - 1, Math.ceil(maxX * width));
  const y0 = Math.max(0, Math.floor(minY * height));
  const y1 = Math.min(height - 1, Math.ceil(maxY * height));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (pointInPolygon({ x: (x + 0.5) / width, y: (y + 0.5) / height }, poly)) cells.push(y * width + x);
    }
  }
  if (cells.length === 0) {
    const cx = poly.reduce((s, p) => s + p.x, 0) / poly.length;
    const cy = poly.reduce((s, p) => s + p.y, 0) / poly.length;
    const gx = Math.min(width - 1, Math.max(0, Math.floor(cx * width)));
    const gy = Math.min(height - 1, Math.max(0, Math.floor(cy * height)));
    cells.push(gy * width + gx);
  }
  return Uint32Array.from(cells);
}

/** Fraction (0..1) of a zone's cells that are set in `flags`. */
export function maskFraction(cells: Uint32Array, flags: Uint8Array): number {
  if (cells.length === 0) return 0;
  let n = 0;
  for (const i of cells) if (flags[i]) n++;
  return n / cells.length;
}
