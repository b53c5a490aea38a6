/**
 * Rules unpaid.leftWithGoods / unpaid.idle (整单不结): goods were rung up, nothing was paid, and
 * the goods went with the shopper. "Went" needs camera evidence of objects leaving the bagging
 * area towards the exit: a shopper who abandons the order and walks away empty-handed, or steps
 * away to fetch something, is not flagged. The trigger is shopperLeft after a short grace, or
 * (if shopperLeft was not seen) an idle transaction.
 */
import type { Obs } from '../tracks.ts';

export interface UnpaidFacts {
  paid: boolean;
  /** Units rung up (lines of a cancelled order still count: the goods were in the order). */
  rungUnits: number;
  /** Objects taken from the bagging area towards the exit before any payment succeeded. */
  exits: readonly Obs[];
  /** Confidence of the trigger (shopperLeft, or a fixed value for the idle time-out). */
  triggerConfidence: number;
}

export function assessUnpaid(f: UnpaidFacts): { confidence: number } | undefined {
  if (f.paid || f.rungUnits <= 0 || f.exits.length === 0) return undefined;
  let miss = 1;
  for (const e of f.exits) miss *= 1 - e.confidence;
  return { confidence: f.triggerConfidence * (1 - miss) };
}

export function unpaidExplanation(units: number, idle: boolean): string {
  const goods = units === 1 ? '1 item' : `${units} items`;
  return idle
    ? `The order (${goods}) has been open without payment for a while and goods were taken from the bagging area.`
    : `The shopper appears to have left with goods from the bagging area while the order (${goods}) is unpaid.`;
}
