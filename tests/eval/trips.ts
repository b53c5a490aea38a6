/**
 * One item's trip from the basket to the bag, as the vision worker would report it: which events
 * it emits, which it misses, and how the gallery / OCR / size cues come out. All noise rates come
 * from the NoiseModel.
 */
import type { ItemAppearance, SizeClass } from '../../src/core/perception/events.ts';
import type { Catalogue, Product } from './catalogue.ts';
import type { Emitter } from './emit.ts';
import type { NoiseModel } from './noise.ts';
import { clamp } from './rng.ts';

export interface Presentation {
  startMs: number;
  endMs: number;
  /** Scan gesture over the window (false when the item just rests on the scale). */
  motion: boolean;
  /** The tracker starts a new id for this presentation (a re-try after a failed scan). */
  newTrack?: boolean;
}

export interface Trip {
  product: Product;
  pickMs: number;
  /** Scanner presentations; empty when the item goes round the scanner. */
  presentations: Presentation[];
  landMs: number;
  /** Objects set down at once (several stacked items). */
  count: number;
}

export interface TripResult {
  /** Every track id the worker used for this item. */
  trackIds: number[];
  /** Track id of the landing, for later removals. */
  bagTrackId: number;
}

const SIZES: readonly SizeClass[] = ['small', 'medium', 'large'];
const OCR_NOISE_CHARS = '口日目曰木本未末土士工干0O1l';

export function emitTrip(em: Emitter, cat: Catalogue, trip: Trip): TripResult {
  const { rng, noise } = em;
  let trackId = em.newTrackId();
  const trackIds = [trackId];
  const tripSeen = !rng.chance(noise.moveMissRate);
  const viaScanner = trip.presentations.length > 0;
  let appearanceFrames = { startMs: trip.pickMs, endMs: trip.landMs };

  for (const [i, p] of trip.presentations.entries()) {
    if (p.newTrack && i > 0) {
      trackId = em.newTrackId();
      trackIds.push(trackId);
    }
    if (i === 0) appearanceFrames = { startMs: p.startMs, endMs: p.endMs };
    if (!tripSeen) continue;
    if (!rng.chance(noise.passMissRate)) {
      const dwell = Math.max(0, (p.endMs - p.startMs) * rng.uniform(0.85, 1.15));
      em.perceive({
        type: 'itemPassedScanner',
        trackId,
        startMs: p.startMs,
        endMs: p.endMs,
        fromZone: 'pickup',
        holdingItem: !rng.chance(noise.holdingItemFalseRate),
        dwellMs: Math.round(dwell),
      });
    }
    if (p.motion && !rng.chance(noise.motionMissRate)) {
      const span = p.endMs - p.startMs;
      em.perceive({
        type: 'scanMotion',
        trackId,
        startMs: p.startMs + span * 0.1,
        endMs: p.endMs - span * 0.1,
      });
    }
  }
  if (tripSeen) {
    const flip = rng.chance(noise.viaScannerFlipRate);
    em.perceive({
      type: 'itemMovedPickupToBagging',
      trackId,
      startMs: trip.pickMs,
      endMs: trip.landMs,
      viaScanner: flip ? !viaScanner : viaScanner,
    });
    if (rng.chance(noise.appearanceRate)) {
      em.perceive({
        type: 'itemAppearance',
        trackId,
        ...appearanceFrames,
        ...appearanceOf(em, cat, trip.product, scannerView(em.noise)),
      });
    }
  }
  let bagTrackId = trackId;
  if (!rng.chance(noise.placeMissRate)) {
    if (rng.chance(noise.idSwitchRate)) {
      bagTrackId = em.newTrackId();
      trackIds.push(bagTrackId);
    }
    const { count, countConfidence } = estimateCount(em, trip.count);
    em.perceive({
      type: 'itemPlacedInBagging',
      trackId: bagTrackId,
      startMs: trip.landMs,
      endMs: trip.landMs + 250,
      count,
      countConfidence,
      fromZone: landingZone(em, viaScanner ? 'scanner' : 'pickup'),
    });
    bagAppearance(em, cat, trip.product, bagTrackId, trip.landMs);
  }
  return { trackIds, bagTrackId };
}

function estimateCount(em: Emitter, actual: number): { count: number; countConfidence: number } {
  const { rng, noise } = em;
  const sure = (): number => clamp(rng.normal(0.85, 0.07), 0.3, 0.99);
  if (actual <= 1) {
    if (rng.chance(noise.honestMiscountRate)) return { count: 2, countConfidence: rng.uniform(0.3, 0.8) };
    return { count: 1, countConfidence: sure() };
  }
  const r = rng.next();
  const count = r < 0.85 ? actual : r < 0.95 ? actual - 1 : actual + 1;
  return { count, countConfidence: sure() };
}

/** How good one camera view is at naming a product. */
export interface AppearanceView {
  top1Correct: number;
  top1CorrectLookAlike: number;
  scoreRight: [number, number];
  ocrRate: number;
  sizeRight: number;
}

function scannerView(n: NoiseModel): AppearanceView {
  return {
    top1Correct: n.galleryTop1Correct,
    top1CorrectLookAlike: n.galleryTop1CorrectLookAlike,
    scoreRight: n.scoreRight,
    ocrRate: n.ocrRate,
    sizeRight: n.sizeRight,
  };
}

function bagView(n: NoiseModel): AppearanceView {
  return {
    top1Correct: n.bagGalleryTop1Correct,
    top1CorrectLookAlike: n.bagGalleryTop1CorrectLookAlike,
    scoreRight: n.bagScoreRight,
    ocrRate: n.bagOcrRate,
    sizeRight: n.bagSizeRight,
  };
}

/** The entry side of a landing, as the worker reports it. */
function landingZone(em: Emitter, truth: 'scanner' | 'pickup'): 'scanner' | 'pickup' | 'unknown' {
  const r = em.rng.next();
  if (r < em.noise.landingZoneUnknownRate) return 'unknown';
  if (r < em.noise.landingZoneUnknownRate + em.noise.landingZoneWrongRate)
    return truth === 'scanner' ? 'pickup' : 'scanner';
  return truth;
}

/** The gallery run on an object landing in the bag (also on spurious landings of real goods). */
export function bagAppearance(
  em: Emitter,
  cat: Catalogue,
  product: Product,
  trackId: number,
  landMs: number,
): void {
  if (!em.rng.chance(em.noise.bagAppearanceRate)) return;
  em.perceive({
    type: 'itemAppearance',
    trackId,
    startMs: landMs,
    endMs: landMs + 250,
    ...appearanceOf(em, cat, product, bagView(em.noise)),
  });
}

/** What the camera makes of a product in one view: gallery top-1, OCR text, size class. */
export function appearanceOf(
  em: Emitter,
  cat: Catalogue,
  product: Product,
  view: AppearanceView,
): Pick<ItemAppearance, 'matchGtin' | 'matchScore' | 'labelText' | 'sizeClass'> {
  const { rng, noise } = em;
  const lookAlikes = cat.lookAlikes(product);
  const correctRate = lookAlikes.length > 0 ? view.top1CorrectLookAlike : view.top1Correct;
  let match = product;
  let [mean, sd] = view.scoreRight;
  if (!rng.chance(correctRate)) {
    [mean, sd] = noise.scoreWrong;
    match =
      lookAlikes.length > 0 && rng.chance(noise.galleryLookAlikeConfusion)
        ? rng.pick(lookAlikes)
        : rng.pick(cat.packaged.filter((p) => p.gtin !== product.gtin));
  }
  const score = Math.round(clamp(rng.normal(mean, sd), 0.05, 0.99) * 100) / 100;
  // Drawn only below 1 so that the default model's random stream (and its figures) stay as they were.
  const gallery = noise.galleryRate >= 1 || rng.chance(noise.galleryRate);
  const out: Pick<ItemAppearance, 'matchGtin' | 'matchScore' | 'labelText' | 'sizeClass'> = gallery
    ? { matchGtin: match.gtin, matchScore: score }
    : {};
  if (!product.weighed && rng.chance(view.ocrRate)) out.labelText = ocr(em, product.name);
  const i = SIZES.indexOf(product.sizeClass);
  const off = rng.chance(view.sizeRight) ? 0 : i === 0 ? 1 : i === 2 ? -1 : rng.pick([-1, 1]);
  out.sizeClass = SIZES[i + off] ?? product.sizeClass;
  return out;
}

function ocr(em: Emitter, name: string): string {
  const { rng, noise } = em;
  let chars = Array.from(name);
  if (rng.chance(noise.ocrPartialRate)) chars = chars.slice(0, rng.int(2, Math.min(4, chars.length)));
  const out: string[] = [];
  for (const c of chars) {
    if (rng.chance(noise.ocrDropRate)) continue;
    out.push(rng.chance(noise.ocrSubstRate) ? rng.pick(Array.from(OCR_NOISE_CHARS)) : c);
  }
  return out.join('');
}
