/**
 * Coarse colour signature of a product, for the wrong-scan consistency check against the
 * catalogue's packshot. Hue x saturation bins rather than RGB so that the shop's lighting (which
 * mostly changes brightness) moves little mass between bins; pixels with too little saturation to
 * have a hue go to grey bins by brightness. Packshots sit on white, so near-white pixels can be
 * left out of both sides.
 */

export const HUE_BINS = 12;
export const SAT_BINS = 2;
export const GREY_BINS = 3;
export const HISTOGRAM_BINS = HUE_BINS * SAT_BINS + GREY_BINS;

export interface HistogramOptions {
  /** Below this saturation (0..1) a pixel counts as grey. */
  greyBelowSaturation: number;
  /** Leave out near-white pixels (value above and saturation below these). */
  ignoreWhite: boolean;
  whiteAboveValue: number;
  /** Only the centre of the image: this share of width and height (1 = all). */
  centre: number;
}

export const HISTOGRAM_DEFAULTS: HistogramOptions = {
  greyBelowSaturation: 0.2,
  ignoreWhite: true,
  whiteAboveValue: 0.9,
  centre: 1,
};

/** Normalised to sum 1 (all zeros when no pixel counted). */
export function colourHistogram(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  options: Partial<HistogramOptions> = {},
): number[] {
  const o = { ...HISTOGRAM_DEFAULTS, ...options };
  if (rgba.length !== width * height * 4)
    throw new Error(`expected ${width * height * 4} RGBA bytes for ${width}x${height}, got ${rgba.length}`);
  if (!(o.centre > 0 && o.centre <= 1)) throw new Error(`centre must be in (0, 1], got ${o.centre}`);
  const hist = new Array<number>(HISTOGRAM_BINS).fill(0);
  const x0 = Math.floor((width * (1 - o.centre)) / 2);
  const y0 = Math.floor((height * (1 - o.centre)) / 2);
  let total = 0;
  for (let y = y0; y < height - y0; y++) {
    for (let x = x0; x < width - x0; x++) {
      const i = (y * width + x) * 4;
      const r = (rgba[i] ?? 0) / 255;
      const g = (rgba[i + 1] ?? 0) / 255;
      const b = (rgba[i + 2] ?? 0) / 255;
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      const sat = max > 0 ? (max - min) / max : 0;
      if (o.ignoreWhite && max > o.whiteAboveValue && sat < o.greyBelowSaturation) continue;
      let bin: number;
      if (sat < o.greyBelowSaturation)
        bin = HUE_BINS * SAT_BINS + Math.min(GREY_BINS - 1, Math.floor(max * GREY_BINS));
      else {
        const hue = hueOf(r, g, b, max, max - min);
        const h = Math.min(HUE_BINS - 1, Math.floor((hue / 360) * HUE_BINS));
        const s = Math.min(
          SAT_BINS - 1,
          Math.floor(((sat - o.greyBelowSaturation) / (1 - o.greyBelowSaturation)) * SAT_BINS),
        );
        bin = h * SAT_BINS + s;
      }
      hist[bin] = (hist[bin] ?? 0) + 1;
      total++;
    }
  }
  return total > 0 ? hist.map((v) => v / total) : hist;
}

function hueOf(r: number, g: number, b: number, max: number, delta: number): number {
  if (delta === 0) return 0;
  let h: number;
  if (max === r) h = ((g - b) / delta) % 6;
  else if (max === g) h = (b - r) / delta + 2;
  else h = (r - g) / delta + 4;
  return (h * 60 + 360) % 360;
}

/**
 * Hellinger distance between two normalised histograms: 0 = identical, 1 = no overlap. Bounded
 * and symmetric, so one threshold means the same for every product.
 */
export function histogramDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`histograms differ in length (${a.length} vs ${b.length})`);
  let bc = 0;
  for (let i = 0; i < a.length; i++) bc += Math.sqrt(Math.max(0, a[i] ?? 0) * Math.max(0, b[i] ?? 0));
  return Math.sqrt(Math.max(0, 1 - bc));
}
