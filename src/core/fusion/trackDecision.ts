/**
 * Glue between one item presentation and the rules: gathers what the rules need (matched scan,
 * payment phase, a following re-try, a spare scan), applies the verdict to the ledger (scan units
 * committed or used up) and turns raised verdicts into suspicions.
 */
import type { FusionConfig } from './config.ts';
import { freeUnits, type PosLedger, type ScanRecord, type TxnRecord } from './posLedger.ts';
import { assessAppearance, isWrongScan } from './rules/wrongScan.ts';
import { decideTrack } from './rules/scanExpectation.ts';
import type { SuspicionBook } from './suspicionBook.ts';
import {
  allTrackIds,
  anchor,
  dueMs,
  evidenceSpan,
  gtinHint,
  reachedBag,
  trackConfidence,
  trackKind,
  type TrackRecord,
} from './tracks.ts';
import type { TrackStore } from './trackStore.ts';
import type { Suspicion } from './types.ts';

export function decideTrackRecord(
  t: TrackRecord,
  nowMs: number,
  cfg: FusionConfig,
  ledger: PosLedger,
  tracks: TrackStore,
  book: SuspicionBook,
): Suspicion[] {
  // An item seen only landing, right where another trip ended unseen: the tracker changed ids.
  const trip =
    trackKind(t) === 'placementOnly' && t.placement
      ? tracks.unlandedTripNear(t.placement.startMs, t)
      : undefined;
  if (trip) {
    if (t.scanId !== undefined) {
      const held = ledger.scan(t.scanId);
      if (held) held.heldUnits = Math.max(0, held.heldUnits - 1);
      t.scanId = undefined;
    }
    tracks.merge(t, trip);
    return [];
  }
  const a = anchor(t);
  const txnRec = ledger.txnAt(a.startMs, cfg.scanLeadMs + cfg.scanMatchWindowMs, cfg.postTxnAttributionMs);
  const scan = t.scanId !== undefined ? ledger.scan(t.scanId) : undefined;
  const paymentStarted = txnRec?.paymentStartedMs;
  const decision = decideTrack(
    t,
    {
      ...(scan ? { scan } : {}),
      inPaymentPhase: paymentStarted !== undefined && paymentStarted <= a.endMs + cfg.scanMatchWindowMs,
      rescanFollowed: rescanFollowed(t, tracks, cfg),
      ...spare(t, ledger, cfg),
      txnOpen: txnRec !== undefined && isOpenAt(txnRec, a.startMs),
      seenProductBagged: seenProductBagged(t, txnRec?.txn, ledger, tracks, cfg),
    },
    cfg,
  );
  t.decided = true;
  t.txn = scan?.txn ?? txnRec?.txn ?? '';

  switch (decision.kind) {
    case 'clean':
      decision.scan.heldUnits = Math.max(0, decision.scan.heldUnits - 1);
      decision.scan.committedUnits += 1;
      return wrongScanCheck(t, decision.scan, nowMs, dueMs(t, cfg), cfg, book);
    case 'reconciled':
      t.scanId = undefined;
      decision.scan.reconciledUnits += 1;
      return [];
    case 'ignore':
      if (scan) scan.heldUnits = Math.max(0, scan.heldUnits - 1);
      t.scanId = undefined;
      return [];
    case 'raise': {
      const span = evidenceSpan(t);
      const seenGtin = gtinHint(t, cfg);
      const s = book.raise(
        {
          type: decision.type,
          rule: decision.rule,
          txn: t.txn,
          confidence: decision.confidence,
          explanation: decision.explanation,
          evidence: { ...span, trackIds: allTrackIds(t), posSeqs: [] },
          windowClosedMs: dueMs(t, cfg),
          ...(seenGtin !== undefined ? { subject: { gtin: seenGtin }, seenGtin } : {}),
          trackKey: t.key,
          bagged: reachedBag(t),
        },
        nowMs,
      );
      t.suspicionIds.push(s.id);
      return [s];
    }
  }
}

/** Wrong-scan check of a matched item; also run when the appearance arrives after the match. */
export function wrongScanCheck(
  t: TrackRecord,
  scan: ScanRecord,
  nowMs: number,
  windowClosedMs: number,
  cfg: FusionConfig,
  book: SuspicionBook,
): Suspicion[] {
  if (t.appearances.length === 0 || t.suspicionIds.some((id) => id.includes(':wrongScan.'))) return [];
  const verdict = assessAppearance(t.appearances, scan, cfg);
  if (!isWrongScan(verdict, cfg)) return [];
  const span = evidenceSpan(t);
  const endMs = Math.max(span.endMs, scan.atMs);
  const s = book.raise(
    {
      type: 'wrongScan',
      rule: 'wrongScan.appearance',
      txn: scan.txn,
      confidence: verdict.probability * Math.min(1, trackConfidence(t, cfg) + 0.05),
      explanation: `The item at the scanner may not be the scanned product "${scan.name}" (${verdict.reasons.join('; ')}).`,
      evidence: {
        startMs: Math.min(span.startMs, scan.atMs),
        endMs,
        trackIds: allTrackIds(t),
        posSeqs: [scan.seq],
      },
      windowClosedMs,
      subject: { gtin: scan.gtin, line: scan.line, name: scan.name },
      trackKey: t.key,
      ...(verdict.seenGtin !== undefined ? { seenGtin: verdict.seenGtin } : {}),
      bagged: reachedBag(t),
    },
    nowMs,
  );
  t.suspicionIds.push(s.id);
  return [s];
}

/** A later presentation with scanner evidence that took a scan soon after this one ended. */
function rescanFollowed(t: TrackRecord, tracks: TrackStore, cfg: FusionConfig): boolean {
  if (trackKind(t) !== 'scanner') return false;
  const end = anchor(t).endMs;
  return tracks.records.some((r) => {
    if (r === t || r.scanId === undefined) return false;
    // Any sign of the next try at the scanner, even an "empty hand" pass (a misread).
    const starts = [...r.passes, ...r.motions].map((o) => o.startMs);
    const start = starts.length > 0 ? Math.min(...starts) : anchor(r).startMs;
    return start > end - 200 && start <= end + cfg.rescanLinkMs;
  });
}

/** For an item seen only in the bag: the nearest scan with a unit nobody else claimed. */
function spare(t: TrackRecord, ledger: PosLedger, cfg: FusionConfig): { spareScan?: ScanRecord } {
  if (trackKind(t) !== 'placementOnly' || !t.placement) return {};
  let best: ScanRecord | undefined;
  let bestGap = Infinity;
  for (const s of ledger.scans) {
    const gap = Math.abs(s.atMs - t.placement.startMs);
    if (gap > cfg.untrackedScanReconcileMs || freeUnits(s) <= 0) continue;
    if (gap < bestGap) {
      best = s;
      bestGap = gap;
    }
  }
  return best ? { spareScan: best } : {};
}

/** The gallery's product for a bag-only object was rung up in this transaction and landed. */
function seenProductBagged(
  t: TrackRecord,
  txn: string | undefined,
  ledger: PosLedger,
  tracks: TrackStore,
  cfg: FusionConfig,
): boolean {
  const gtin = trackKind(t) === 'placementOnly' ? gtinHint(t, cfg) : undefined;
  if (gtin === undefined || txn === undefined || ledger.rungUnits(txn, gtin) === 0) return false;
  return tracks.records.some((r) => {
    if (r === t || !r.decided || r.scanId === undefined || !reachedBag(r)) return false;
    const s = ledger.scan(r.scanId);
    return s !== undefined && s.txn === txn && s.gtin === gtin;
  });
}

function isOpenAt(txn: TxnRecord, ms: number): boolean {
  const closed = txn.paidMs ?? txn.closedMs;
  return txn.startedMs <= ms && (closed === undefined || ms <= closed);
}
