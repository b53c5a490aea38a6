/**
 * Rule reduction.notReturned (减数): a line was voided or its quantity reduced, and the goods did
 * not leave the bagging area. Decided `reductionWindowMs` after the void because shoppers
 * usually confirm the void on screen first and take the item back afterwards.
 *
 * Honest guards, both in terms of units of one GTIN:
 *  - double scan: if the units still rung up cover every unit physically seen (item count
 *    matches), the void only removed a duplicate registration;
 *  - put back: every item taken out of the bag towards pick-up (or out of view) around the void
 *    covers one voided unit.
 */
import type { FusionConfig } from '../config.ts';
import type { ScanRecord } from '../posLedger.ts';

export interface ReductionFacts {
  /** Units removed by this void / reduction. */
  units: number;
  /** Units of the GTIN still rung up when the window closed. */
  rungAfter: number;
  /** Units of the GTIN physically seen in this transaction (tracks + lone untracked scans). */
  physical: number;
  /** Unused returns (items taken back out of the bag) available around the void. */
  returnsAvailable: number;
  /** Whether a camera track was matched with a scan of this GTIN (vs. scans only). */
  seenByCamera: boolean;
}

export interface ReductionVerdict {
  /** Units that are neither rung up nor returned; 0 = honest. */
  shortfall: number;
  /** Returns used up to explain this void. */
  returnsUsed: number;
  confidence: number;
}

/** Lower when the only sign of the item is its scan (camera missed it; could be a duplicate). */
const CONFIDENCE_SEEN = 0.9;
const CONFIDENCE_SCAN_ONLY = 0.7;

export function assessReduction(f: ReductionFacts): ReductionVerdict {
  const missing = Math.max(0, f.physical - f.rungAfter);
  const returnsUsed = Math.min(missing, f.returnsAvailable);
  const shortfall = Math.min(f.units, missing - returnsUsed);
  return {
    shortfall,
    returnsUsed,
    confidence: f.seenByCamera ? CONFIDENCE_SEEN : CONFIDENCE_SCAN_ONLY,
  };
}

export function reductionExplanation(name: string, line: number, units: number): string {
  const what = units === 1 ? 'one unit' : `${units} units`;
  return `Line ${line} (${name}) was reduced by ${what}, but no item was seen being taken back out of the bagging area.`;
}

/**
 * Units of one product physically seen: items matched with a scan, items seen only in the bag
 * and explained by a scan, and scans the camera missed that are not duplicates of a nearby scan
 * of the same product (those are double scans, not items).
 */
export function physicalUnits(scans: readonly ScanRecord[], cfg: FusionConfig): number {
  let units = 0;
  for (const s of scans) {
    units += s.committedUnits + s.reconciledUnits;
    const left = s.units - s.committedUnits - s.reconciledUnits;
    if (!s.finalized || left <= 0) continue;
    const duplicate = scans.some((o) => o !== s && Math.abs(o.atMs - s.atMs) <= cfg.duplicateScanWindowMs);
    if (!duplicate) units += left;
  }
  return units;
}
