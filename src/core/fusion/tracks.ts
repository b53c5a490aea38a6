/**
 * Per-object evidence from the vision worker, folded into one record per presentation of an item
 * (the record store itself is trackStore.ts; this file holds the record and how to read it).
 * A "presentation" is one trip of an object from pick-up towards the bagging zone; the same
 * worker track id can present twice (taken back out of the bag and re-scanned), and one item can
 * get two track ids (the tracker loses it when the hand lets go), so the record is not simply
 * "the track".
 */
import type { FusionConfig } from './config.ts';
import type { ItemAppearance, NonItemKind } from '../perception/events.ts';

export interface Obs {
  startMs: number;
  endMs: number;
  confidence: number;
}

export interface TrackRecord {
  /** Internal, unique per presentation. */
  key: number;
  /** External worker track id (of the first event). */
  trackId: number;
  /** Other worker track ids folded into this record (tracker id switches). */
  aliasIds: number[];
  passes: (Obs & { holdingItem: boolean; dwellMs: number })[];
  motions: Obs[];
  move?: Obs & { viaScanner: boolean };
  placement?: Obs & { count: number; countConfidence: number; fromZone: string };
  appearances: ItemAppearance[];
  nonItem?: { kind: NonItemKind; confidence: number; endMs: number };
  removals: (Obs & { toZone: 'pickup' | 'exit' | 'unknown' })[];
  decided: boolean;
  /** Scan this record is matched with (tentative until decided). */
  scanId?: number;
  /** Transaction the decision attributed it to. */
  txn?: string;
  suspicionIds: string[];
}

export type TrackKind = 'scanner' | 'bypass' | 'placementOnly' | 'none';

/**
 * 'scanner': the item was seen at the scanner (a hand holding it there, or a scan gesture);
 * 'bypass': it went to the bag and no scanner evidence was seen (the trajectory's viaScanner
 * flag alone is not trusted: without a pass or a gesture nobody tried to scan it);
 * 'placementOnly': only its landing in the bag was seen.
 */
export function trackKind(t: TrackRecord): TrackKind {
  if (t.passes.some((p) => p.holdingItem) || t.motions.length > 0) return 'scanner';
  if (t.move) return 'bypass';
  if (t.placement && t.placement.fromZone !== 'outside') return 'placementOnly';
  return 'none';
}

/** The movement evidence of a track (not appearance, removal or non-item cues). */
export function itemObservations(t: TrackRecord): Obs[] {
  const obs: Obs[] = [...t.passes.filter((p) => p.holdingItem), ...t.motions];
  if (t.move) obs.push(t.move);
  if (t.placement && t.placement.fromZone !== 'outside') obs.push(t.placement);
  return obs;
}

/**
 * Noisy-OR over the movement evidence plus any gallery match (an object that looks like a
 * catalogue product is evidence that it is one): several agreeing cues beat one strong-looking
 * detection, which is what a detector's false positive usually is.
 */
export function trackConfidence(t: TrackRecord, cfg: FusionConfig): number {
  let miss = 1;
  for (const c of itemCues(t, cfg)) miss *= 1 - clamp01(c);
  return 1 - miss;
}

/** Independent cues needed before any rule acts: one detection alone is never enough. */
export const MIN_CUES = 2;

/** Enough agreeing evidence that the track is an item for any rule to act on it. */
export function isConfidentItem(t: TrackRecord, cfg: FusionConfig): boolean {
  return itemCues(t, cfg).length >= MIN_CUES && trackConfidence(t, cfg) >= cfg.minTrackConfidence;
}

/** Confidence of each independent cue that the track is an item (movement + gallery matches). */
export function itemCues(t: TrackRecord, cfg: FusionConfig): number[] {
  const cues = itemObservations(t).map((o) => o.confidence);
  for (const a of t.appearances) {
    const score = a.matchScore ?? 0;
    if (a.matchGtin !== undefined && score >= cfg.galleryMinScore) cues.push(a.confidence * score);
  }
  return cues;
}

/** The frames a scan is expected around: the scanner part of the trip if there was one. */
export function anchor(t: TrackRecord): { startMs: number; endMs: number } {
  const kind = trackKind(t);
  let obs: Obs[] = [];
  if (kind === 'scanner') {
    obs = [...t.passes.filter((p) => p.holdingItem), ...t.motions];
  } else if (kind === 'bypass' && t.move) obs = [t.move];
  else if (t.placement) obs = [t.placement];
  return span(obs);
}

/** Whole evidence span (everything seen of the item). */
export function evidenceSpan(t: TrackRecord): { startMs: number; endMs: number } {
  return span([...itemObservations(t), ...t.appearances]);
}

/**
 * The object went into the bag on this trip: a trajectory ending there, or a landing of goods
 * after its scanner frames (a phone that lay in the bag before being shown does not count).
 */
export function reachedBag(t: TrackRecord): boolean {
  if (t.move) return true;
  const p = t.placement;
  return p !== undefined && p.fromZone !== 'outside' && p.endMs >= anchor(t).startMs;
}

export function isWeighed(t: TrackRecord, cfg: FusionConfig): boolean {
  return t.passes.some((p) => p.holdingItem && p.dwellMs >= cfg.restDwellMs);
}

/** When the engine decides about this record. */
export function dueMs(t: TrackRecord, cfg: FusionConfig): number {
  const a = anchor(t);
  const window = isWeighed(t, cfg) ? cfg.weighedMatchWindowMs : cfg.scanMatchWindowMs;
  // An object that has not (yet) reached the bag may come straight back for a second try.
  const scannerOnly = trackKind(t) === 'scanner' && !t.move && !t.placement;
  return a.endMs + window + (scannerOnly ? cfg.rescanLinkMs : 0);
}

/** The product the gallery is confident this is, if any. */
export function gtinHint(t: TrackRecord, cfg: FusionConfig): string | undefined {
  let best: ItemAppearance | undefined;
  for (const a of t.appearances) {
    if (a.matchGtin === undefined || (a.matchScore ?? 0) < cfg.gallerySupportScore) continue;
    if (!best || (a.matchScore ?? 0) > (best.matchScore ?? 0)) best = a;
  }
  return best?.matchGtin;
}

export function isNonItem(t: TrackRecord, cfg: FusionConfig): boolean {
  return (t.nonItem?.confidence ?? 0) >= cfg.minNonItemConfidence;
}

export function allTrackIds(t: TrackRecord): number[] {
  return [t.trackId, ...t.aliasIds];
}

export function lastEvidenceMs(t: TrackRecord): number {
  let end = -Infinity;
  for (const o of [...t.passes, ...t.motions, ...t.appearances, ...t.removals]) end = Math.max(end, o.endMs);
  if (t.move) end = Math.max(end, t.move.endMs);
  if (t.placement) end = Math.max(end, t.placement.endMs);
  if (t.nonItem) end = Math.max(end, t.nonItem.endMs);
  return end;
}

function span(obs: readonly { startMs: number; endMs: number }[]): { startMs: number; endMs: number } {
  if (obs.length === 0) return { startMs: 0, endMs: 0 };
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const o of obs) {
    startMs = Math.min(startMs, o.startMs);
    endMs = Math.max(endMs, o.endMs);
  }
  return { startMs, endMs };
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
