/**
 * Configuration of the optional item detector (docs/item-detector.md) and the slot the worker keeps
 * it in. Without a configured model nothing is fetched and detection answers "nothing found": the
 * pipeline (hands, zones, OCR, recording) runs the same with or without a detector.
 */
import type { Detection } from '../../core/perception/yoloDecode.ts';
import type { NonItemKind } from '../../core/perception/events.ts';

export interface ItemDetectorConfig {
  /** ONNX model, input [1, 3, S, S] RGB 0..1; same origin. */
  modelUrl: string;
  /** One label per line, in class order. */
  labelsUrl: string;
  /** S, the square input size (e.g. 640). */
  inputSize: number;
  scoreThreshold?: number;
  iouThreshold?: number;
}

export interface ItemDetection extends Detection {
  label: string;
  /** Set when the label is a bag / phone / wallet / child: reported as nonItemObject. */
  nonItemKind: NonItemKind | null;
}

export interface ItemDetectorLike {
  detect(image: ImageBitmap): Promise<ItemDetection[]>;
}

/** Checks a config from kiosk-config.json; null/undefined means "no detector". */
export function parseItemDetectorConfig(v: unknown): ItemDetectorConfig | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object') throw new Error('itemDetector must be an object or null');
  const c = v as Record<string, unknown>;
  const url = (k: string): string => {
    const s = c[k];
    if (typeof s !== 'string' || s.length === 0) throw new Error(`itemDetector.${k} must be a non-empty URL`);
    return s;
  };
  const size = c.inputSize;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 32 || size > 2048 || size % 32 !== 0)
    throw new Error(`itemDetector.inputSize must be a multiple of 32 in 32..2048, got ${String(size)}`);
  const out: ItemDetectorConfig = { modelUrl: url('modelUrl'), labelsUrl: url('labelsUrl'), inputSize: size };
  for (const k of ['scoreThreshold', 'iouThreshold'] as const) {
    const t = c[k];
    if (t === undefined) continue;
    if (typeof t !== 'number' || !(t > 0 && t < 1)) throw new Error(`itemDetector.${k} must be in (0, 1)`);
    out[k] = t;
  }
  return out;
}

/** Holds the detector once loaded; loads it on first use, only when configured. */
export class ItemDetectorSlot {
  private loading: Promise<ItemDetectorLike> | null = null;

  constructor(
    private readonly config: ItemDetectorConfig | null,
    private readonly load: (config: ItemDetectorConfig) => Promise<ItemDetectorLike>,
  ) {}

  get configured(): boolean {
    return this.config !== null;
  }

  /** Detections on one image; [] (and the bitmap closed) when no detector is configured. */
  async detect(image: ImageBitmap): Promise<ItemDetection[]> {
    if (!this.config) {
      image.close();
      return [];
    }
    this.loading ??= this.load(this.config).catch((err: unknown) => {
      this.loading = null;
      throw err;
    });
    let detector: ItemDetectorLike;
    try {
      detector = await this.loading;
    } catch (err) {
      image.close();
      throw err;
    }
    return detector.detect(image);
  }
}
