/**
 * Pairs POS scans with item presentations. Re-run from scratch over everything still undecided
 * on every tick, cheapest pair first, so a scan that arrived before "its" perception event is not
 * lost to an earlier item that happened to be waiting (POS and camera events race each other).
 */
import type { FusionConfig } from './config.ts';
import { freeUnits, type ScanRecord } from './posLedger.ts';
import {
  anchor,
  gtinHint,
  isConfidentItem,
  isNonItem,
  isWeighed,
  trackKind,
  type TrackRecord,
} from './tracks.ts';

/** Extra cost for weaker kinds of evidence, so a scanner pass wins a contested scan. */
const KIND_PENALTY_MS = { scanner: 0, bypass: 500, placementOnly: 1000, none: Infinity } as const;
/** Bonus when the gallery already recognised the scanned product. */
const GTIN_HINT_MS = 400;

/** POS times at which a scan can belong to this record. */
export function matchInterval(t: TrackRecord, cfg: FusionConfig): { fromMs: number; toMs: number } {
  const a = anchor(t);
  const kind = trackKind(t);
  const lead = kind === 'placementOnly' ? cfg.placementScanLeadMs : cfg.scanLeadMs;
  const window = isWeighed(t, cfg) ? cfg.weighedMatchWindowMs : cfg.scanMatchWindowMs;
  return { fromMs: a.startMs - lead, toMs: a.endMs + window };
}

/** How far (ms) a scan is from where it would be expected for this record. */
export function matchCost(t: TrackRecord, scan: ScanRecord, cfg: FusionConfig): number {
  const a = anchor(t);
  const beepMs = scan.atMs - cfg.posLatencyMs;
  const gap = beepMs < a.startMs ? a.startMs - beepMs : beepMs > a.endMs ? beepMs - a.endMs : 0;
  const hint = gtinHint(t, cfg);
  // Only a bonus: a switched item must still find the scan it was rung up with.
  const hintCost = hint !== undefined && hint === scan.gtin ? -GTIN_HINT_MS : 0;
  return gap + KIND_PENALTY_MS[trackKind(t)] + hintCost;
}

/**
 * Recomputes tentative assignments: clears what undecided records held, then hands each record
 * at most one scan, greedily by cost. Decided records keep their (committed) scans.
 */
export function assignScans(
  pending: readonly TrackRecord[],
  scans: readonly ScanRecord[],
  cfg: FusionConfig,
): void {
  const open = scans.filter((s) => !s.finalized);
  for (const s of open) s.heldUnits = 0;
  for (const t of pending) t.scanId = undefined;

  const pairs: { t: TrackRecord; s: ScanRecord; cost: number }[] = [];
  for (const t of pending) {
    // A child's hand or a phone over the scanner must not take an item's scan, and neither may
    // a lone detection that cannot be decided as an item (it may firm up by the next tick).
    if (isNonItem(t, cfg) || !isConfidentItem(t, cfg)) continue;
    const { fromMs, toMs } = matchInterval(t, cfg);
    for (const s of open) {
      if (s.atMs < fromMs || s.atMs > toMs || freeUnits(s) <= 0) continue;
      pairs.push({ t, s, cost: matchCost(t, s, cfg) });
    }
  }
  pairs.sort((x, y) => x.cost - y.cost || x.t.key - y.t.key || x.s.id - y.s.id);
  for (const { t, s } of pairs) {
    if (t.scanId !== undefined || freeUnits(s) <= 0) continue;
    t.scanId = s.id;
    s.heldUnits += 1;
  }
}
