/**
 * Rule wrongScan.appearance (错扫, ticket switching): product A was rung up but the object in the
 * shopper's hand looks like something else. Three cues, each able to speak for or against the
 * scanned product:
 *  - gallery match (strongest): the worker's best catalogue match and its score;
 *  - packaging text (OCR) compared with the POS name;
 *  - size class compared with the catalogue's, if the chain supplies one (weak: sizes overlap).
 * Any strong cue *for* the scanned product clears the item: a wrong alarm on an honest shopper
 * costs more than a missed switch of two look-alike products.
 */
import type { FusionConfig } from '../config.ts';
import type { ItemAppearance, SizeClass } from '../../perception/events.ts';
import { textSimilarity } from '../textSimilarity.ts';

/** OCR text at or above this similarity to the POS name supports the scan. */
export const OCR_SUPPORT_SIMILARITY = 0.5;
/** OCR text at or below this similarity contradicts the scan. */
export const OCR_MISMATCH_SIMILARITY = 0.15;
/** Weight of an OCR contradiction (label text is often partial). */
const OCR_MISMATCH_WEIGHT = 0.6;
const SIZE_ORDER: Readonly<Record<SizeClass, number>> = { small: 0, medium: 1, large: 2 };

export interface AppearanceVerdict {
  /** Combined mismatch, 0..1. */
  mismatch: number;
  /** Product the gallery saw instead, when it named one. */
  seenGtin?: string;
  /** Human-readable cue list for the explanation. */
  reasons: string[];
  /** A cue confirmed the scanned product. */
  supported: boolean;
}

export function assessAppearance(
  appearances: readonly ItemAppearance[],
  scanned: { gtin: string; name: string },
  cfg: FusionConfig,
): AppearanceVerdict {
  const mismatches: number[] = [];
  const reasons: string[] = [];
  let supported = false;
  let seenGtin: string | undefined;
  let bestOther = 0;

  for (const a of appearances) {
    const score = a.matchScore ?? 0;
    if (a.matchGtin !== undefined && score >= cfg.galleryMinScore) {
      if (a.matchGtin === scanned.gtin) {
        if (score >= cfg.gallerySupportScore) supported = true;
      } else if (score > bestOther) {
        bestOther = score;
        seenGtin = a.matchGtin;
      }
    }
  }
  if (seenGtin !== undefined) {
    mismatches.push(bestOther);
    reasons.push(`camera match ${seenGtin} (${Math.round(bestOther * 100)}%)`);
  }

  const texts = appearances.filter((a) => a.labelText !== undefined && a.labelText.length >= 2);
  if (texts.length > 0) {
    const best = Math.max(...texts.map((a) => textSimilarity(a.labelText ?? '', scanned.name)));
    if (best >= OCR_SUPPORT_SIMILARITY) supported = true;
    else if (best <= OCR_MISMATCH_SIMILARITY) {
      const conf = Math.max(...texts.map((a) => a.confidence));
      mismatches.push(OCR_MISMATCH_WEIGHT * conf);
      reasons.push('packaging text differs from the scanned name');
    }
  }

  const expected = cfg.sizeClassOf?.(scanned.gtin);
  const seenSize = appearances.find((a) => a.sizeClass !== undefined)?.sizeClass;
  if (expected !== undefined && seenSize !== undefined) {
    const gap = Math.abs(SIZE_ORDER[expected] - SIZE_ORDER[seenSize]);
    if (gap > 0) {
      mismatches.push(gap === 2 ? 0.4 : 0.15);
      reasons.push(`looks ${seenSize}, scanned product is ${expected}`);
    }
  }

  let keep = 1;
  for (const m of mismatches) keep *= 1 - m;
  const verdict: AppearanceVerdict = { mismatch: supported ? 0 : 1 - keep, reasons, supported };
  if (seenGtin !== undefined) verdict.seenGtin = seenGtin;
  return verdict;
}

/** Whether the verdict is strong enough to raise a suspicion. */
export function isWrongScan(verdict: AppearanceVerdict, cfg: FusionConfig): boolean {
  return !verdict.supported && verdict.mismatch >= cfg.wrongScanThreshold;
}
