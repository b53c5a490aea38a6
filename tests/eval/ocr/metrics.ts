/**
 * Figures of the wrong-scan evidence evaluation (pure; the browser part is in index.ts). For each
 * natural photo we have the OCR read and a colour histogram; the "store catalogue" is the dataset's
 * 81 fine classes with their packshot (iconic) images. A wrong scan of photo p is the barcode of any
 * other catalogue class S; the evidence contradicts S when the live wrong-scan rule, given only the
 * OCR read (no gallery match), reaches its threshold, or when the photo's colours are further than
 * `colourThreshold` from S's packshot.
 */
import { DEFAULT_FUSION_CONFIG } from '../../../src/core/fusion/config.ts';
import { assessAppearance, isWrongScan } from '../../../src/core/fusion/rules/wrongScan.ts';
import { textSimilarity } from '../../../src/core/fusion/textSimilarity.ts';
import { histogramDistance } from '../../../src/core/perception/colourHistogram.ts';

export interface CatalogueClass {
  name: string;
  /** POS-style product name: the class name with spaces ("Arla Standard Milk"). */
  posName: string;
  gtin: string;
  iconicHist: number[];
}

export interface PhotoResult {
  file: string;
  className: string;
  text: string;
  ms: number;
  hist: number[];
}

export interface PhotoFigures {
  file: string;
  className: string;
  text: string;
  simOwn: number;
  bestOther: { name: string; sim: number };
  /** The right scan is contradicted by the OCR read / by colour. */
  rightContradictedOcr: boolean;
  rightContradictedColour: boolean;
  /** Share of the other catalogue classes, scanned instead, that OCR / colour / either contradicts. */
  wrongCaughtOcr: number;
  wrongCaughtColour: number;
  wrongCaughtEither: number;
  colourOwn: number;
  colourRank: number;
  /** Best other class whose brand (first word) differs from the photo's own. */
  bestOtherBrand: { name: string; sim: number };
  /** The rule's OCR log-likelihood ratio for the right scan (> 0 leans "switched"). */
  ocrLlrRight: number;
  /** Share of wrong scans whose OCR LLR leans "switched" (> 0), and strongly (>= OCR_STRONG_LLR). */
  wrongOcrLeans: number;
  wrongOcrStrong: number;
}

/** An OCR LLR this high is most of what the rule needs (its threshold is 7, the OCR cue is capped at 5). */
export const OCR_STRONG_LLR = 3;

export interface GroupFigures {
  photos: number;
  withText: number;
  ownBeatsOthers: number;
  /** Own name more similar than every other brand's products (same-brand variants left out). */
  ownBeatsOtherBrands: number;
  /** The OCR cue alone (live rule, no gallery match): share leaning "switched" / strongly. */
  ocrCue: { wrongLeans: number; wrongStrong: number; rightLeans: number; rightStrong: number };
  /** Rates over (photo, other class) pairs. */
  wrongScanCaught: { ocr: number; colour: number; either: number };
  /** Rates over photos (scan = own class). */
  rightScanContradicted: { ocr: number; colour: number; either: number };
  colourTop1: number;
  medianOcrMs: number;
}

/** Whether the live wrong-scan rule, from the OCR read alone, flags `scanned`. */
export function ocrContradicts(text: string, scanned: CatalogueClass): boolean {
  if (text.trim().length === 0) return false;
  return isWrongScan(ocrVerdict(text, scanned), DEFAULT_FUSION_CONFIG);
}

/** The OCR cue's log-likelihood ratio in the live rule (0 for an empty read). */
export function ocrLlr(text: string, scanned: CatalogueClass): number {
  return text.trim().length === 0 ? 0 : ocrVerdict(text, scanned).cues.ocr;
}

function ocrVerdict(text: string, scanned: CatalogueClass): ReturnType<typeof assessAppearance> {
  return assessAppearance(
    [
      {
        type: 'itemAppearance',
        v: 1,
        atMs: 0,
        startMs: 0,
        endMs: 0,
        confidence: 1,
        trackId: 1,
        labelText: text,
      },
    ],
    { gtin: scanned.gtin, name: scanned.posName },
    DEFAULT_FUSION_CONFIG,
  );
}

const brandOf = (name: string): string => name.split('-')[0] ?? name;

export function photoFigures(
  p: PhotoResult,
  catalogue: readonly CatalogueClass[],
  colourThreshold: number,
): PhotoFigures {
  const own = catalogue.find((c) => c.name === p.className);
  if (!own) throw new Error(`${p.file}: class ${p.className} is not in the catalogue`);
  const others = catalogue.filter((c) => c !== own);
  const simOwn = textSimilarity(p.text, own.posName);
  let bestOther = { name: '', sim: -1 };
  for (const c of others) {
    const sim = textSimilarity(p.text, c.posName);
    if (sim > bestOther.sim) bestOther = { name: c.name, sim };
  }
  const dist = (c: CatalogueClass): number => histogramDistance(p.hist, c.iconicHist);
  const colourOwn = dist(own);
  const colourRank = 1 + others.filter((c) => dist(c) < colourOwn).length;
  let bestOtherBrand = { name: '', sim: -1 };
  for (const c of others) {
    if (brandOf(c.name) === brandOf(own.name)) continue;
    const sim = textSimilarity(p.text, c.posName);
    if (sim > bestOtherBrand.sim) bestOtherBrand = { name: c.name, sim };
  }
  let ocr = 0;
  let colour = 0;
  let either = 0;
  let leans = 0;
  let strong = 0;
  for (const c of others) {
    const llr = ocrLlr(p.text, c);
    leans += llr > 0 ? 1 : 0;
    strong += llr >= OCR_STRONG_LLR ? 1 : 0;
    const o = ocrContradicts(p.text, c);
    const k = dist(c) > colourThreshold;
    ocr += o ? 1 : 0;
    colour += k ? 1 : 0;
    either += o || k ? 1 : 0;
  }
  return {
    file: p.file,
    className: p.className,
    text: p.text,
    simOwn,
    bestOther,
    rightContradictedOcr: ocrContradicts(p.text, own),
    rightContradictedColour: colourOwn > colourThreshold,
    wrongCaughtOcr: ocr / others.length,
    wrongCaughtColour: colour / others.length,
    wrongCaughtEither: either / others.length,
    colourOwn,
    colourRank,
    bestOtherBrand,
    ocrLlrRight: ocrLlr(p.text, own),
    wrongOcrLeans: leans / others.length,
    wrongOcrStrong: strong / others.length,
  };
}

export function groupFigures(rows: readonly PhotoFigures[], ms: readonly number[]): GroupFigures {
  const n = rows.length;
  const mean = (f: (r: PhotoFigures) => number): number => (n ? rows.reduce((s, r) => s + f(r), 0) / n : 0);
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    photos: n,
    withText: rows.filter((r) => r.text.trim().length > 0).length,
    ownBeatsOthers: rows.filter((r) => r.simOwn > r.bestOther.sim).length,
    ownBeatsOtherBrands: rows.filter((r) => r.simOwn > r.bestOtherBrand.sim).length,
    ocrCue: {
      wrongLeans: mean((r) => r.wrongOcrLeans),
      wrongStrong: mean((r) => r.wrongOcrStrong),
      rightLeans: mean((r) => (r.ocrLlrRight > 0 ? 1 : 0)),
      rightStrong: mean((r) => (r.ocrLlrRight >= OCR_STRONG_LLR ? 1 : 0)),
    },
    wrongScanCaught: {
      ocr: mean((r) => r.wrongCaughtOcr),
      colour: mean((r) => r.wrongCaughtColour),
      either: mean((r) => r.wrongCaughtEither),
    },
    rightScanContradicted: {
      ocr: mean((r) => (r.rightContradictedOcr ? 1 : 0)),
      colour: mean((r) => (r.rightContradictedColour ? 1 : 0)),
      either: mean((r) => (r.rightContradictedOcr || r.rightContradictedColour ? 1 : 0)),
    },
    colourTop1: mean((r) => (r.colourRank === 1 ? 1 : 0)),
    medianOcrMs: sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0) : 0,
  };
}

/** "Arla-Standard-Milk" -> "Arla Standard Milk". */
export function posNameOf(className: string): string {
  return className.replace(/-/g, ' ');
}
