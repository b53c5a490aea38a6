/**
 * Rule wrongScan.appearance (错扫, ticket switching): product A was rung up but the object in the
 * shopper's hand looks like something else. Three cues, each able to speak for or against the
 * scanned product:
 *  - gallery match (strongest): the worker's best catalogue match and its score;
 *  - packaging text (OCR) compared with the POS name;
 *  - size class compared with the catalogue's, if the chain supplies one.
 * Cues for the scanned product discount the cues against it (mismatch = against × (1 − for)), so
 * a confident match of the scanned product clears the item: a wrong alarm on an honest shopper
 * costs more than a missed switch of two look-alike products.
 */
import type { FusionConfig } from '../config.ts';
import type { ItemAppearance, SizeClass } from '../../perception/events.ts';
import { textContainment } from '../textSimilarity.ts';

/** OCR reads at least this long are used at all (two characters match almost anything). */
export const OCR_MIN_CHARS = 3;
/** Share of read characters found in the POS name at or above which the read supports the scan. */
export const OCR_SUPPORT_CONTAINMENT = 0.8;
/** ... and at or below which it contradicts the scan. */
export const OCR_MISMATCH_CONTAINMENT = 0.4;
/** Weight of an OCR cue (label text is often partial or misread). */
const OCR_WEIGHT = 0.6;
const SIZE_ORDER: Readonly<Record<SizeClass, number>> = { small: 0, medium: 1, large: 2 };
/** Weight of a size-class mismatch by one / two classes (coarse but rarely wrong by two). */
const SIZE_GAP1_WEIGHT = 0.3;
const SIZE_GAP2_WEIGHT = 0.6;

export interface AppearanceVerdict {
  /** Cues against the scanned product, combined (noisy-OR), 0..1. */
  against: number;
  /** Cues for the scanned product, combined (noisy-OR), 0..1. */
  for: number;
  /** against × (1 − for): what the threshold is applied to. */
  mismatch: number;
  /** Product the gallery saw instead, when it named one. */
  seenGtin?: string;
  /** Human-readable list of the cues against, for the explanation. */
  reasons: string[];
}

export function assessAppearance(
  appearances: readonly ItemAppearance[],
  scanned: { gtin: string; name: string },
  cfg: FusionConfig,
): AppearanceVerdict {
  const against: number[] = [];
  const support: number[] = [];
  const reasons: string[] = [];
  let seenGtin: string | undefined;
  let bestOther = 0;
  let bestSame = 0;
  for (const a of appearances) {
    const score = a.matchScore ?? 0;
    if (a.matchGtin === undefined || score < cfg.galleryMinScore) continue;
    if (a.matchGtin === scanned.gtin) bestSame = Math.max(bestSame, score);
    else if (score > bestOther) {
      bestOther = score;
      seenGtin = a.matchGtin;
    }
  }
  if (bestSame > 0) support.push(bestSame);
  if (seenGtin !== undefined) {
    against.push(bestOther);
    reasons.push(`camera match ${seenGtin} (${Math.round(bestOther * 100)}%)`);
  }

  const reads = appearances.filter((a) => Array.from(a.labelText ?? '').length >= OCR_MIN_CHARS);
  if (reads.length > 0) {
    const best = reads.reduce((x, y) =>
      textContainment(y.labelText ?? '', scanned.name) > textContainment(x.labelText ?? '', scanned.name)
        ? y
        : x,
    );
    const share = textContainment(best.labelText ?? '', scanned.name);
    if (share >= OCR_SUPPORT_CONTAINMENT) support.push(OCR_WEIGHT * best.confidence);
    else if (share <= OCR_MISMATCH_CONTAINMENT) {
      against.push(OCR_WEIGHT * best.confidence);
      reasons.push('packaging text differs from the scanned name');
    }
  }

  const expected = cfg.sizeClassOf?.(scanned.gtin);
  const seenSize = appearances.find((a) => a.sizeClass !== undefined)?.sizeClass;
  if (expected !== undefined && seenSize !== undefined) {
    const gap = Math.abs(SIZE_ORDER[expected] - SIZE_ORDER[seenSize]);
    if (gap > 0) {
      against.push(gap === 2 ? SIZE_GAP2_WEIGHT : SIZE_GAP1_WEIGHT);
      reasons.push(`looks ${seenSize}, scanned product is ${expected}`);
    }
  }

  const forScan = noisyOr(support);
  const againstScan = noisyOr(against);
  const verdict: AppearanceVerdict = {
    against: againstScan,
    for: forScan,
    mismatch: againstScan * (1 - forScan),
    reasons,
  };
  if (seenGtin !== undefined) verdict.seenGtin = seenGtin;
  return verdict;
}

/** Whether the verdict is strong enough to raise a suspicion. */
export function isWrongScan(verdict: AppearanceVerdict, cfg: FusionConfig): boolean {
  return verdict.mismatch >= cfg.wrongScanThreshold;
}

function noisyOr(values: readonly number[]): number {
  let miss = 1;
  for (const v of values) miss *= 1 - Math.min(1, Math.max(0, v));
  return 1 - miss;
}
