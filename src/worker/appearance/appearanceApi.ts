/** The label reader worker's API (appearanceWorker.ts), as the vision worker calls it. */
import type { PixelRect } from '../../core/perception/appearanceCrop.ts';
import type { OrtBackend } from '../ort/backend.ts';
import type { InferenceConfigPatch } from '../ort/inferenceConfig.ts';
import type { Percentiles } from '../../recording/rollingStats.ts';

export interface AppearanceRead {
  /** The packaging text read, lines joined with spaces ('' when none was legible). */
  text: string;
  /** Mean character confidence of the kept lines, 0..1 (0 without text). */
  confidence: number;
  ms: number;
  loadMs: number;
  backend: OrtBackend;
  /** What was read, in the snapshot's pixels. */
  box: PixelRect;
  /** The hand crop, or the item detector's box overlapping it. */
  source: 'hand' | 'detector';
  /** The product the detector's box names, when the chain labels its classes by GTIN. */
  match?: { gtin: string; score: number };
}

export interface AppearanceWorkerApi {
  /** The same patch the vision worker's configureInference() gets. */
  configure(patch: InferenceConfigPatch): Promise<void>;
  /** Reads the item in `hand` (px of `frame`); the bitmap is transferred and closed. */
  read(frame: ImageBitmap, hand: PixelRect): Promise<AppearanceRead>;
}

/** Live item-appearance figures, shown with the inference metrics. */
export interface AppearanceMetrics {
  /** Snapshots taken of held items in the scanner (best frame so far of each presentation). */
  snapshots: number;
  reads: number;
  readsWithText: number;
  /** Reads planned but dropped: superseded by a newer one, waited too long, or the track's limit. */
  dropped: number;
  /** itemAppearance events emitted (reads with text, or a product named by a chain's detector). */
  emitted: number;
  readMs: Percentiles;
  /** First-read model loading, ms (0 until then). */
  loadMs: number;
  errors: number;
  lastError: string | null;
  /** Where the last read looked, in frame px (null before the first read): says a crop cut the label. */
  lastCrop: PixelRect | null;
}
