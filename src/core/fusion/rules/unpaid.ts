/**
 * Rules unpaid.leftWithGoods / unpaid.cancelled / unpaid.idle (整单不结): goods were rung up, nothing was paid, and
 * the goods went with the shopper. "Went" needs camera evidence of objects leaving the bagging
 * area towards the exit after the last scan: a shopper who abandons the order and walks away
 * empty-handed (or unpacks first), or steps away to fetch something, is not flagged. The trigger is shopperLeft after a short grace, or
 * (if shopperLeft was not seen) an idle transaction.
 */
import type { Obs } from '../tracks.ts';

export interface UnpaidFacts {
  paid: boolean;
  /** Units rung up (lines of a cancelled order still count: the goods were in the order). */
  rungUnits: number;
  /**
   * Objects taken from the bagging area towards the exit after the last scan (earlier ones are a
   * full bag moved to the cart while shopping goes on).
   */
  exits: readonly Obs[];
  /** Items taken back out of the bag towards pick-up after the last scan (unpacking to leave). */
  returns: number;
  /** Confidence of the trigger (shopperLeft, or a fixed value for the idle time-out). */
  triggerConfidence: number;
}

/** Unpacking at least this share of the rung-up units back to pick-up means "leaving the goods". */
export const UNPACKED_SHARE = 0.5;

export function assessUnpaid(f: UnpaidFacts): { confidence: number } | undefined {
  if (f.paid || f.rungUnits <= 0 || f.exits.length === 0) return undefined;
  if (f.returns >= UNPACKED_SHARE * f.rungUnits) return undefined;
  let miss = 1;
  for (const e of f.exits) miss *= 1 - e.confidence;
  return { confidence: f.triggerConfidence * (1 - miss) };
}

export function unpaidExplanation(units: number, trigger: 'left' | 'idle' | 'cancelled'): string {
  const goods = units === 1 ? '1 item' : `${units} items`;
  switch (trigger) {
    case 'left':
      return `The shopper appears to have left with goods from the bagging area while the order (${goods}) is unpaid.`;
    case 'idle':
      return `The order (${goods}) has been open without payment for a while and goods were taken from the bagging area.`;
    case 'cancelled':
      return `The order (${goods}) was cancelled without payment after goods were taken from the bagging area.`;
  }
}
