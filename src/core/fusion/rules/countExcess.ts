/**
 * Rule missedScan.countExcess (漏扫, "scanned one, took several"): more objects landed in the bag
 * on the back of one line than the line's quantity. Only count estimates the worker is sure of
 * are used, and weighed lines are skipped: loose produce is many pieces for one weighed line.
 */
export interface CountFacts {
  /** Current quantity of the POS line. */
  lineQty: number;
  weighed: boolean;
  /** Object counts of every placement matched with the line (confident estimates only). */
  placedCounts: readonly number[];
}

/** Objects in the bag beyond what the line pays for; 0 = consistent. */
export function countExcess(f: CountFacts): number {
  if (f.weighed) return 0;
  let placed = 0;
  for (const c of f.placedCounts) placed += c;
  return Math.max(0, placed - f.lineQty);
}

export function countExplanation(name: string, line: number, placed: number, qty: number): string {
  return `${placed} items were placed in the bagging area after line ${line} (${name}), which has quantity ${qty}.`;
}
