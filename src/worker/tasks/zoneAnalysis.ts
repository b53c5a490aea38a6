import type { LaneZones, ZoneName } from '../../core/lane/zones.ts';
import { maskFraction, rasterizeZones, type ZoneMasks } from './zoneMasks.ts';

export interface ZoneAnalysisOptions {
  /** Grey-level change (0..255) between two analysed frames that counts a cell as moving. */
  motionThreshold: number;
  /** Grey-level difference from the background that counts a cell as occupied. */
  occupancyThreshold: number;
  /**
   * Learning rate of the background per analysed frame, once warmed up. Its first
   * `warmupFrames` quiet frames a cell learns as a running mean (usable within half a second);
   * after that, at 12 fps, 0.005 takes ~17 s to absorb a change, so an item set down in the
   * bagging area stays "occupied" for the length of a transaction, while daylight drift is
   * followed. A sudden light change (a lamp switched on) shows as occupancy for that long.
   */
  minLearnRate: number;
  /** Quiet frames a cell learns fast from; also frames before occupancy is trusted. */
  warmupFrames: number;
}

export const DEFAULT_ZONE_ANALYSIS: Readonly<ZoneAnalysisOptions> = Object.freeze({
  motionThreshold: 18,
  occupancyThreshold: 28,
  minLearnRate: 0.005,
  warmupFrames: 6,
});

export interface ZoneFrame {
  /** Per zone, fraction of cells changed since the previous frame (empty without zones). */
  motion: Partial<Record<ZoneName, number>>;
  /** Per zone, fraction of cells that differ from the empty-lane background. */
  occupancy: Partial<Record<ZoneName, number>>;
  /** Fraction of the whole image that moved: gates the hand model when no zones are drawn. */
  globalMotion: number;
  /** 1 where the cell moved (the grid's size); valid until the next analyse(). */
  moving: Uint8Array;
  /** 1 where the cell differs from the background; valid until the next analyse(). */
  foreground: Uint8Array;
  backgroundReady: boolean;
}

/** RGBA pixels (ImageData.data) to grey (BT.601 luma, integer maths). */
export function rgbaToGrey(rgba: Uint8ClampedArray | Uint8Array, out: Uint8Array): Uint8Array {
  if (rgba.length !== out.length * 4)
    throw new RangeError(`rgbaToGrey: ${rgba.length} RGBA bytes for ${out.length} grey pixels`);
  for (let i = 0, j = 0; i < out.length; i++, j += 4)
    out[i] = (77 * rgba[j]! + 150 * rgba[j + 1]! + 29 * rgba[j + 2]!) >> 8;
  return out;
}

/**
 * Motion and occupancy per lane zone on a small grey image of the camera (e.g. 128x72). Pure and
 * allocation-free per frame, so it runs on every stored frame for well under a millisecond.
 *
 * The background is an empty-lane model that only learns where nothing moves and no hand is (the
 * caller's `exclude` mask): a shopper standing still in front of the scanner is not learned as
 * long as a hand is over it, and an object set down is learned only slowly (see minLearnRate).
 */
export class ZoneAnalyzer {
  private readonly size: number;
  private readonly prev: Uint8Array;
  private readonly background: Float32Array;
  private readonly learned: Uint16Array;
  private readonly moving: Uint8Array;
  private readonly foreground: Uint8Array;
  private masks: ZoneMasks = {};
  private frames = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly opts: ZoneAnalysisOptions = DEFAULT_ZONE_ANALYSIS,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
      throw new RangeError(`zone grid must be at least 1x1 whole cells, got ${width}x${height}`);
    this.size = width * height;
    this.prev = new Uint8Array(this.size);
    this.background = new Float32Array(this.size);
    this.learned = new Uint16Array(this.size);
    this.moving = new Uint8Array(this.size);
    this.foreground = new Uint8Array(this.size);
  }

  setZones(zones: LaneZones | null): void {
    this.masks = zones ? rasterizeZones(zones.zones, this.width, this.height) : {};
  }

  /** Forgets the background and the previous frame (a new camera sees another scene). */
  reset(): void {
    this.frames = 0;
    this.learned.fill(0);
    this.moving.fill(0);
    this.foreground.fill(0);
  }

  get backgroundReady(): boolean {
    return this.frames >= this.opts.warmupFrames;
  }

  /**
   * Analyses one grey frame of the grid's size. `exclude` (same size, 1 = hand or held object)
   * keeps those cells out of the background update.
   */
  analyse(grey: Uint8Array, exclude: Uint8Array | null = null): ZoneFrame {
    if (grey.length !== this.size)
      throw new RangeError(`zone analysis expects ${this.size} grey pixels, got ${grey.length}`);
    if (exclude && exclude.length !== this.size)
      throw new RangeError(`exclude mask has ${exclude.length} cells, expected ${this.size}`);
    const first = this.frames === 0;
    const { motionThreshold, occupancyThreshold, minLearnRate, warmupFrames } = this.opts;
    let movingCells = 0;
    for (let i = 0; i < this.size; i++) {
      const v = grey[i]!;
      const moved = !first && Math.abs(v - this.prev[i]!) > motionThreshold ? 1 : 0;
      this.moving[i] = moved;
      movingCells += moved;
      this.prev[i] = v;
      const n = this.learned[i]!;
      this.foreground[i] = n > 0 && Math.abs(v - this.background[i]!) > occupancyThreshold ? 1 : 0;
      if (moved || exclude?.[i]) continue;
      if (n === 0) this.background[i] = v;
      else this.background[i]! += (v - this.background[i]!) * (n < warmupFrames ? 1 / (n + 1) : minLearnRate);
      if (n < 0xffff) this.learned[i] = n + 1;
    }
    this.frames++;
    const motion: Partial<Record<ZoneName, number>> = {};
    const occupancy: Partial<Record<ZoneName, number>> = {};
    for (const [name, cells] of Object.entries(this.masks) as [ZoneName, Uint32Array][]) {
      motion[name] = maskFraction(cells, this.moving);
      occupancy[name] = maskFraction(cells, this.foreground);
    }
    return {
      motion,
      occupancy,
      globalMotion: movingCells / this.size,
      moving: this.moving,
      foreground: this.foreground,
      backgroundReady: this.backgroundReady,
    };
  }
}
