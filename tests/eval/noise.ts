/**
 * The simulator's noise and behaviour model. Fixed before the engine was tuned and documented in
 * docs/fusion.md; change it only to make it more realistic, never to move the figures.
 */
export interface NoiseModel {
  /** A whole item trip (scanner pass, scan motion, pick-up→bag move) not detected. */
  moveMissRate: number;
  /** The landing in the bagging zone not detected (independent of the trip). */
  placeMissRate: number;
  /** A removal from the bagging zone not detected. */
  removalMissRate: number;
  /** Within a detected trip: the scanner-pass event alone missing. */
  passMissRate: number;
  /** Within a detected trip: the scan-motion event alone missing (motion classifier is weaker). */
  motionMissRate: number;
  /** A real item reported as an empty hand at the scanner. */
  holdingItemFalseRate: number;
  /** viaScanner reported wrong. */
  viaScannerFlipRate: number;
  /** The tracker gives the landing a new track id. */
  idSwitchRate: number;
  /** Probability that an item gets an appearance event at all. */
  appearanceRate: number;
  /**
   * Share of appearances that carry a product match (matchGtin/matchScore). 1 models a chain's
   * item detector with GTIN labels (docs/item-detector.md); 0 is the kiosk without one, where
   * the live worker reads packaging text only (vision.itemAppearance).
   */
  galleryRate: number;
  /** Gallery top-1 is the right product (product with no look-alike sizes / with look-alikes). */
  galleryTop1Correct: number;
  galleryTop1CorrectLookAlike: number;
  /** Share of gallery errors that pick a look-alike size (when one exists). */
  galleryLookAlikeConfusion: number;
  /** Gallery score: right product / wrong product, normal(mean, sd). */
  scoreRight: [number, number];
  scoreWrong: [number, number];
  /** OCR text present on an appearance. */
  ocrRate: number;
  /** OCR character drop / substitution rates; chance only the first few characters are read. */
  ocrDropRate: number;
  ocrSubstRate: number;
  ocrPartialRate: number;
  /** Size class observed right (else off by one). */
  sizeRight: number;
  /**
   * Second view: the worker also runs the gallery on objects as they land in the bag (seen from
   * above, partly occluded): how often it emits an appearance for a seen landing, and how good
   * that view is. Its errors are drawn independently of the scanner view's.
   */
  bagAppearanceRate: number;
  bagGalleryTop1Correct: number;
  bagGalleryTop1CorrectLookAlike: number;
  bagScoreRight: [number, number];
  bagOcrRate: number;
  bagSizeRight: number;
  /** A landing's entry side (pick-up vs scanner) reported 'unknown' / the wrong side. */
  landingZoneUnknownRate: number;
  landingZoneWrongRate: number;
  /** nonItemObject not emitted for a bag / phone / child. */
  nonItemMissRate: number;
  /** An own bag's landing reported fromZone 'unknown' instead of 'outside'. */
  outsideZoneMissRate: number;
  /** shopperLeft not detected. */
  shopperLeftMissRate: number;
  /** Real-event confidence, normal(mean, sd), clipped to [0.3, 0.99]. */
  realConfidence: [number, number];
  /** Spurious events per transaction (Poisson mean); share of them with a high confidence. */
  spuriousPerTxn: number;
  spuriousHighShare: number;
  /** Honest single items whose placement count is mis-estimated as 2. */
  honestMiscountRate: number;
  /** Scanner-to-POS latency range (ms). */
  posLatencyMs: [number, number];
  /** Perception emission delay after the last frame (ms). */
  perceptionDelayMs: [number, number];
  /** Frame timing jitter (sd, ms). */
  frameJitterMs: number;
}

export const DEFAULT_NOISE: Readonly<NoiseModel> = {
  moveMissRate: 0.04,
  placeMissRate: 0.04,
  removalMissRate: 0.04,
  passMissRate: 0.03,
  motionMissRate: 0.1,
  holdingItemFalseRate: 0.03,
  viaScannerFlipRate: 0.02,
  idSwitchRate: 0.03,
  appearanceRate: 0.9,
  galleryRate: 1,
  galleryTop1Correct: 0.93,
  galleryTop1CorrectLookAlike: 0.82,
  galleryLookAlikeConfusion: 0.7,
  scoreRight: [0.84, 0.08],
  scoreWrong: [0.55, 0.12],
  ocrRate: 0.5,
  ocrDropRate: 0.2,
  ocrSubstRate: 0.1,
  ocrPartialRate: 0.3,
  sizeRight: 0.9,
  bagAppearanceRate: 0.7,
  bagGalleryTop1Correct: 0.85,
  bagGalleryTop1CorrectLookAlike: 0.7,
  bagScoreRight: [0.78, 0.1],
  bagOcrRate: 0.2,
  bagSizeRight: 0.85,
  landingZoneUnknownRate: 0.15,
  landingZoneWrongRate: 0.03,
  nonItemMissRate: 0.05,
  outsideZoneMissRate: 0.05,
  shopperLeftMissRate: 0.03,
  realConfidence: [0.85, 0.08],
  spuriousPerTxn: 0.3,
  spuriousHighShare: 0.15,
  honestMiscountRate: 0.005,
  posLatencyMs: [50, 400],
  perceptionDelayMs: [80, 300],
  frameJitterMs: 60,
};

/** How often shoppers do what (per transaction unless noted). */
export interface BehaviourModel {
  /** Share of transactions with one abnormal event (spread evenly over the five types). */
  dishonestShare: number;
  /** Items per transaction: 1 + Poisson(mean), capped. */
  itemsMean: number;
  itemsMax: number;
  /** Per item. */
  weighedShare: number;
  rescanShare: number;
  doubleScanShare: number;
  /** Share of double scans the shopper fixes (void / quantity back down). */
  doubleScanFixShare: number;
  changeOfMindShare: number;
  ownBagShare: number;
  phoneShare: number;
  childShare: number;
  cartOffloadShare: number;
  stepAwayShare: number;
  paymentFailShare: number;
  phonePayShare: number;
  /** Honest: the shopper cancels and leaves the goods (unpacking their own bag first). */
  abandonShare: number;
}

export const DEFAULT_BEHAVIOUR: Readonly<BehaviourModel> = {
  dishonestShare: 0.4,
  itemsMean: 7,
  itemsMax: 25,
  weighedShare: 0.1,
  rescanShare: 0.04,
  doubleScanShare: 0.004,
  doubleScanFixShare: 0.8,
  changeOfMindShare: 0.03,
  ownBagShare: 0.35,
  phoneShare: 0.2,
  childShare: 0.05,
  cartOffloadShare: 0.05,
  stepAwayShare: 0.02,
  paymentFailShare: 0.05,
  phonePayShare: 0.5,
  abandonShare: 0.01,
};
