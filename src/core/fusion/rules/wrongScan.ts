/**
 * Rule wrongScan.appearance (错扫, ticket switching): product A was rung up but the object in the
 * shopper's hand looks like something else. Every appearance cue is turned into a log-likelihood
 * ratio (LLR) of "the item is not A" against "the item is A", and the LLRs are added (the cues
 * are treated as independent):
 *  - gallery top-1 and its score, read through the detector's calibration (how often top-1 is
 *    right, and the score distributions of right and wrong matches). A low-scoring match of A
 *    itself counts against A too: a right match rarely scores low;
 *  - packaging text (OCR): is the read closer to A's name or to the name of the product the
 *    gallery saw? Comparing against both names is what separates look-alike sizes of one brand
 *    (the read must include the size token to tell them apart; a partial read stays neutral);
 *  - size class seen against the catalogue's size of A and of the product the gallery saw;
 *  - price: ticket switching rings up a cheaper code, so a seen product dearer than A is
 *    (mildly) more suspicious and a cheaper one less.
 * Additive LLRs mean one cue alone rarely crosses the threshold: a confident gallery error on an
 * honest item is outvoted by its packaging text or size, and a wrong alarm on an honest shopper
 * costs more than a missed switch of two look-alike products.
 */
import type { AppearanceCalibration, CatalogueEntry, FusionConfig } from '../config.ts';
import type { ItemAppearance, SizeClass } from '../../perception/events.ts';

/** OCR reads at least this long are used at all (two characters match almost anything). */
export const OCR_MIN_CHARS = 3;
/**
 * Per read character absent from / present in the scanned name: misreads make ~15 % of an honest
 * read foreign, another product's label ~70 % (brands and kinds share some characters).
 */
const OCR_FOREIGN_LLR = Math.log(0.7 / 0.15);
const OCR_FAMILIAR_LLR = Math.log(0.3 / 0.85);
/** Per read bigram distinctive of the seen product's name (+) or of the scanned one's (−). */
const OCR_DISTINCT_LLR = 1.5;
/** Price cue: P(seen dearer | switch) ≈ 0.9 against 0.5 for an honest gallery error. */
const PRICE_DEARER_LLR = Math.log(0.9 / 0.5);
const PRICE_CHEAPER_LLR = Math.log(0.1 / 0.5);
/** Size class two steps off is not a plausible misreading; floor instead of zero. */
const SIZE_FAR_PROB = 0.01;
/** Each appearance's gallery LLR is clipped: a density ratio in a far tail means little. */
const GALLERY_LLR_CLIP = 8;
/** Gallery matches below this score carry no usable identity. */
const GALLERY_FLOOR = 0.3;
/** Share of gallery errors that happen to name the scanned product (look-alike confusions). */
const ERROR_NAMES_SCANNED = 0.2;
/** Weight of the seen product's size over "any size" when the gallery names one. */
const SEEN_SIZE_TRUST = 0.8;
const SIZE_ORDER: Readonly<Record<SizeClass, number>> = { small: 0, medium: 1, large: 2 };
/** Prior odds of a switch per item, only to turn the LLR into a 0..1 confidence. */
const PRIOR_LOG_ODDS = Math.log(0.01 / 0.99);

export interface AppearanceVerdict {
  /** Log-likelihood ratio "not the scanned product" : "the scanned product"; > 0 leans switched. */
  llr: number;
  /** Per-cue contributions (for explanations and tests). */
  cues: { gallery: number; ocr: number; size: number; price: number };
  /** Posterior of a switch at a 1 % prior, 0..1 (the suspicion's confidence). */
  probability: number;
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
  const cal = cfg.appearanceCalibration;
  const reasons: string[] = [];
  const scannedEntry = lookup(cfg, scanned.gtin);
  let gallery = 0;
  let seenGtin: string | undefined;
  let bestOther = 0;
  for (const a of appearances) {
    const score = a.matchScore ?? 0;
    if (a.matchGtin === undefined || score < GALLERY_FLOOR) continue;
    gallery += galleryLlr(a.matchGtin === scanned.gtin, score, cal);
    if (a.matchGtin !== scanned.gtin && score > bestOther) {
      bestOther = score;
      seenGtin = a.matchGtin;
    }
  }
  const seenEntry = seenGtin !== undefined ? lookup(cfg, seenGtin) : undefined;
  if (seenGtin !== undefined && gallery > 0) {
    reasons.push(`camera match ${seenEntry?.name ?? seenGtin} (${Math.round(bestOther * 100)}%)`);
  }

  const ocr = ocrLlr(appearances, scanned.name, seenEntry?.name);
  if (ocr > 0) reasons.push('packaging text differs from the scanned name');

  let size = 0;
  const expected = scannedEntry?.sizeClass;
  for (const a of appearances) {
    if (expected === undefined || a.sizeClass === undefined) continue;
    size += sizeLlr(a.sizeClass, expected, seenEntry?.sizeClass, cal.sizeAccuracy);
  }
  const seenSize = appearances.find((a) => a.sizeClass !== undefined)?.sizeClass;
  if (size > 0 && seenSize !== undefined && expected !== undefined) {
    reasons.push(`looks ${seenSize}, scanned product is ${expected}`);
  }

  let price = 0;
  const seenPrice = seenEntry?.unitPrice;
  const scannedPrice = scannedEntry?.unitPrice;
  if (gallery > 0 && seenPrice !== undefined && scannedPrice !== undefined && seenPrice !== scannedPrice) {
    price = seenPrice > scannedPrice ? PRICE_DEARER_LLR : PRICE_CHEAPER_LLR;
  }

  const llr = gallery + ocr + size + price;
  const verdict: AppearanceVerdict = {
    llr,
    cues: { gallery, ocr, size, price },
    probability: 1 / (1 + Math.exp(-(llr + PRIOR_LOG_ODDS))),
    reasons,
  };
  if (seenGtin !== undefined) verdict.seenGtin = seenGtin;
  return verdict;
}

/** Whether the verdict is strong enough to raise a suspicion. */
export function isWrongScan(verdict: AppearanceVerdict, cfg: FusionConfig): boolean {
  return verdict.llr >= cfg.wrongScanMinLlr;
}

/**
 * LLR of one gallery top-1 result. Named product ≠ scanned: a right match (of the real, switched
 * item) against a gallery error on the scanned item. Named = scanned: an error that happens to
 * name it against a right match.
 */
export function galleryLlr(namesScanned: boolean, score: number, cal: AppearanceCalibration): number {
  const right = cal.top1Accuracy * normalPdf(score, cal.scoreRight);
  const wrong = (1 - cal.top1Accuracy) * normalPdf(score, cal.scoreWrong);
  const llr = namesScanned
    ? Math.log((ERROR_NAMES_SCANNED * wrong + 1e-12) / (right + 1e-12))
    : Math.log((right + wrong + 1e-12) / (wrong + 1e-12));
  return Math.max(-GALLERY_LLR_CLIP, Math.min(GALLERY_LLR_CLIP, llr));
}

/**
 * Packaging text. Two tests on the same read, the stronger one kept (they are not independent):
 *  - absolute: how many read characters do not occur in the scanned name at all (an honest read
 *    has few, from misreads; another product's label has many);
 *  - relative, when the gallery named another product: which of the two names' distinctive
 *    bigrams (the size token of a look-alike, another brand) the read contains. A partial
 *    read of the shared brand stays neutral.
 */
function ocrLlr(appearances: readonly ItemAppearance[], scannedName: string, seenName?: string): number {
  let best: number | undefined;
  for (const a of appearances) {
    const read = normalizeText(a.labelText ?? '');
    if (read.length < OCR_MIN_CHARS) continue;
    const scannedChars = new Set(normalizeText(scannedName));
    const foreign = read.filter((c) => !scannedChars.has(c)).length;
    let llr = clip(foreign * OCR_FOREIGN_LLR + (read.length - foreign) * OCR_FAMILIAR_LLR, -4, 5);
    if (seenName !== undefined) {
      // Bigrams, not characters: "5L" and "550ml" share every character but no bigram.
      const seenGrams = bigrams(normalizeText(seenName));
      const scannedGrams = bigrams(normalizeText(scannedName));
      const readGrams = [...bigrams(read)];
      const hitsSeen = readGrams.filter((g) => seenGrams.has(g) && !scannedGrams.has(g)).length;
      const hitsScanned = readGrams.filter((g) => scannedGrams.has(g) && !seenGrams.has(g)).length;
      llr = Math.max(llr, clip(OCR_DISTINCT_LLR * (hitsSeen - hitsScanned), -5, 5));
    }
    llr *= a.confidence;
    // The most informative read wins (reads of one item are not independent).
    if (best === undefined || Math.abs(llr) > Math.abs(best)) best = llr;
  }
  return best ?? 0;
}

function normalizeText(text: string): string[] {
  return Array.from(text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''));
}

function bigrams(chars: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i] ?? ''}${chars[i + 1] ?? ''}`);
  return out;
}

function clip(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

/** Seen size class: explained better by the seen product (or any product) or by the scanned one? */
function sizeLlr(
  seen: SizeClass,
  scanned: SizeClass,
  seenProduct: SizeClass | undefined,
  acc: number,
): number {
  const pScanned = sizeProb(seen, scanned, acc);
  const pAny =
    (sizeProb(seen, 'small', acc) + sizeProb(seen, 'medium', acc) + sizeProb(seen, 'large', acc)) / 3;
  const pOther =
    seenProduct !== undefined
      ? SEEN_SIZE_TRUST * sizeProb(seen, seenProduct, acc) + (1 - SEEN_SIZE_TRUST) * pAny
      : pAny;
  return Math.log(pOther / pScanned);
}

/** P(seen class | true class): right with `acc`, else one class off (either side). */
function sizeProb(seen: SizeClass, truth: SizeClass, acc: number): number {
  const gap = Math.abs(SIZE_ORDER[seen] - SIZE_ORDER[truth]);
  if (gap === 0) return acc;
  if (gap === 2) return SIZE_FAR_PROB;
  return truth === 'medium' ? (1 - acc) / 2 : 1 - acc;
}

function lookup(cfg: FusionConfig, gtin: string): CatalogueEntry | undefined {
  const entry = cfg.productOf?.(gtin);
  const sizeClass = entry?.sizeClass ?? cfg.sizeClassOf?.(gtin);
  if (!entry && sizeClass === undefined) return undefined;
  return { ...entry, ...(sizeClass !== undefined ? { sizeClass } : {}) };
}

function normalPdf(x: number, [mean, sd]: readonly [number, number]): number {
  const z = (x - mean) / sd;
  return Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI));
}
