/**
 * Fusion engine settings. Defaults are chosen from the timing of real lanes (scanner-to-POS
 * latency up to ~400 ms, a hand crossing the scanner in ~0.3–1 s) with margin; docs/fusion.md
 * explains each one and which simulator figure it trades against.
 */
import type { SizeClass } from '../perception/events.ts';

export interface FusionConfig {
  /** After the scanner evidence of an item ends, a POS scan must arrive within this. */
  scanMatchWindowMs: number;
  /** A scan may be stamped this long before the perception evidence starts (clock skew). */
  scanLeadMs: number;
  /** Typical scanner-to-POS latency; subtracted from the POS time before measuring distance. */
  posLatencyMs: number;
  /** Window for items that rested on the scale (weighed produce needs a PLU pick on screen). */
  weighedMatchWindowMs: number;
  /** A scanner dwell at least this long marks the item as being weighed. */
  restDwellMs: number;
  /** An item seen only in the bagging zone may have been scanned this long before it landed. */
  placementScanLeadMs: number;
  /** A placement under a new track id within this after another track's move is the same item. */
  idSwitchLinkMs: number;
  /** A scanner-only track followed by a scanned pass within this was a re-presentation. */
  rescanLinkMs: number;
  /** Noisy-OR of the item cues of one track (at least two cues) must reach this before any rule acts. */
  minTrackConfidence: number;
  /** A nonItemObject at or above this confidence excludes the track from item counting. */
  minNonItemConfidence: number;
  /** Two scans of one GTIN closer than this are a double scan, not two items. */
  duplicateScanWindowMs: number;
  /** A scan no track claimed can explain an item seen only in the bagging zone this far away. */
  untrackedScanReconcileMs: number;
  /** After a void / quantity reduction, wait this long for the item to be taken back. */
  reductionWindowMs: number;
  /** An item taken out of the bagging zone up to this long before a void counts as returned. */
  returnLeadMs: number;
  /**
   * Log-likelihood ratio (switched : honest) of all appearance cues needed for a wrong-scan
   * suspicion (rules/wrongScan.ts). Higher: fewer alarms, fewer switches caught.
   */
  wrongScanMinLlr: number;
  /** How the vision worker's appearance output behaves; re-fit on recorded lane data. */
  appearanceCalibration: AppearanceCalibration;
  /** A gallery match at or above this score counts as identifying the product. */
  galleryMinScore: number;
  /** A gallery match of the scanned GTIN at or above this score clears the item. */
  gallerySupportScore: number;
  /** Placement count estimates below this confidence are ignored. */
  countMinConfidence: number;
  /** After shopperLeft, wait this long for the shopper to come back or pay. */
  unpaidGraceMs: number;
  /** An open, unpaid transaction with no activity for this long is treated as left. */
  idleTimeoutMs: number;
  /** A matching scan (or return, or payment) this soon after a suspicion resolves it. */
  selfCorrectWindowMs: number;
  /** Item evidence after a transaction closed is still attributed to it for this long. */
  postTxnAttributionMs: number;
  /** Minimum confidence of perception events used at all (removals, shopperLeft). */
  minEventConfidence: number;
  /** Drop state older than this (keeps memory flat on a lane that runs all day). */
  retentionMs: number;
  /** Optional catalogue lookup of a product's size class, a weak wrong-scan cue. */
  sizeClassOf?: (gtin: string) => SizeClass | undefined;
  /**
   * Optional catalogue lookup (the store's item master, the same one the gallery is built from):
   * lets the wrong-scan rule compare packaging text, size and price with the product the gallery
   * saw, not only with the one rung up.
   */
  productOf?: (gtin: string) => CatalogueEntry | undefined;
}

export interface CatalogueEntry {
  name?: string;
  sizeClass?: SizeClass;
  /** Minor units (per kg for weighed goods). */
  unitPrice?: number;
}

/**
 * Calibration of the worker's appearance output, measured on labelled presentations: how often
 * the gallery's top-1 is the right product, the score distributions (normal: mean, sd) of right
 * and wrong top-1 matches, and how often the size class is right. The defaults are assumptions
 * (the simulator's), not measurements.
 */
export interface AppearanceCalibration {
  top1Accuracy: number;
  scoreRight: readonly [number, number];
  scoreWrong: readonly [number, number];
  sizeAccuracy: number;
}

export const DEFAULT_FUSION_CONFIG: Readonly<FusionConfig> = {
  scanMatchWindowMs: 2000,
  scanLeadMs: 600,
  posLatencyMs: 250,
  weighedMatchWindowMs: 10_000,
  restDwellMs: 1200,
  placementScanLeadMs: 4000,
  idSwitchLinkMs: 1500,
  rescanLinkMs: 3000,
  minTrackConfidence: 0.9,
  minNonItemConfidence: 0.5,
  duplicateScanWindowMs: 3000,
  untrackedScanReconcileMs: 15_000,
  reductionWindowMs: 12_000,
  returnLeadMs: 10_000,
  wrongScanMinLlr: 7,
  appearanceCalibration: {
    top1Accuracy: 0.9,
    scoreRight: [0.84, 0.08],
    scoreWrong: [0.55, 0.12],
    sizeAccuracy: 0.9,
  },
  galleryMinScore: 0.5,
  gallerySupportScore: 0.7,
  countMinConfidence: 0.75,
  unpaidGraceMs: 3000,
  idleTimeoutMs: 120_000,
  selfCorrectWindowMs: 15_000,
  postTxnAttributionMs: 20_000,
  minEventConfidence: 0.5,
  retentionMs: 180_000,
};

export function resolveConfig(partial: Partial<FusionConfig> = {}): FusionConfig {
  const merged: FusionConfig = { ...DEFAULT_FUSION_CONFIG };
  for (const [key, value] of Object.entries(partial)) {
    // An explicit undefined must not wipe a default.
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return merged;
}
