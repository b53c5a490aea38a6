/**
 * Builds contract events (events.ts) from the tracker's records, so every event leaves with the
 * contract version, frame range and a rounded confidence, and its times in order
 * (startMs <= endMs <= atMs, all on the clock of FrameObservation.tMs).
 */
import { PERCEPTION_CONTRACT_VERSION, type PerceptionEvent } from './events.ts';
import { clamp01, round3 } from './trackerEvidence.ts';
import type { ItemTrack, ScannerStay } from './trackerState.ts';

type Body = PerceptionEvent extends infer E
  ? E extends PerceptionEvent
    ? Omit<E, 'v' | 'atMs' | 'startMs' | 'endMs' | 'confidence'>
    : never
  : never;

export function makeEvent(
  body: Body,
  frames: { startMs: number; endMs: number },
  confidence: number,
  atMs: number,
): PerceptionEvent {
  const endMs = Math.min(frames.endMs, atMs);
  const startMs = Math.min(frames.startMs, endMs);
  return {
    ...body,
    v: PERCEPTION_CONTRACT_VERSION,
    atMs,
    startMs,
    endMs,
    confidence: round3(clamp01(confidence)),
  } as PerceptionEvent;
}

/** itemPassedScanner for a stay; an empty hand passes under its own hand id. */
export function passEvent(stay: ScannerStay, trackId: number, endMs: number, atMs: number): PerceptionEvent {
  const item = stay.item;
  const holding = item !== undefined;
  const fromPickup = holding ? item.origin === 'pickup' : stay.fromPickup;
  stay.passEmitted = true;
  if (item) item.emittedAny = true;
  return makeEvent(
    {
      type: 'itemPassedScanner',
      trackId,
      fromZone: fromPickup ? 'pickup' : 'unknown',
      holdingItem: holding,
      dwellMs: Math.max(0, endMs - stay.enterMs),
    },
    { startMs: stay.enterMs, endMs },
    stay.evidence.confidence(holding),
    atMs,
  );
}

export function moveEvent(item: ItemTrack, endMs: number, atMs: number): PerceptionEvent {
  item.moveEmitted = true;
  item.emittedAny = true;
  return makeEvent(
    { type: 'itemMovedPickupToBagging', trackId: item.id, viaScanner: item.visitedScanner },
    { startMs: item.startMs, endMs },
    item.evidence.confidence(true),
    atMs,
  );
}
