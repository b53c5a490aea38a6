/**
 * Line and order totals in integer minor units. Prices times fractional quantities or weights
 * are computed in BigInt so that no binary floating-point error can tip a half-unit the wrong
 * way; each line is rounded once, half up, and the order total is the plain sum of its lines.
 */
import type { OrderLine } from './types.ts';

/** Quantities are priced to a thousandth; finer fractions are not meaningful at a till. */
const QTY_SCALE = 1000n;
const GRAMS_PER_KG = 1000n;

export interface PricedItem {
  /** Minor units; per kilogram when `weight` is set. */
  unitPrice: number;
  qty: number;
  /** Grams, for weighed items. */
  weight?: number;
}

/** Line total for an item priced by the kiosk (the POS sent no lineTotal). */
export function computeLineTotal(item: PricedItem): number {
  const qty = toMilli(item.qty);
  const price = BigInt(Math.trunc(item.unitPrice));
  if (item.weight !== undefined) {
    return divideHalfUp(price * BigInt(Math.trunc(item.weight)) * qty, GRAMS_PER_KG * QTY_SCALE);
  }
  return divideHalfUp(price * qty, QTY_SCALE);
}

/**
 * A POS-supplied line total (variable-price label, promotion) stays authoritative when the
 * quantity changes: it is scaled by the quantity ratio rather than recomputed from unitPrice,
 * which would silently drop whatever the POS had applied.
 */
export function scaleLineTotal(posLineTotal: number, fromQty: number, toQty: number): number {
  const from = toMilli(fromQty);
  if (from === 0n) return posLineTotal;
  return divideHalfUp(BigInt(Math.trunc(posLineTotal)) * toMilli(toQty), from);
}

export function orderTotals(lines: readonly OrderLine[]): { total: number; itemCount: number } {
  let total = 0;
  let itemCount = 0;
  for (const line of lines) {
    if (line.voided) continue;
    total += line.total;
    itemCount += line.weight !== undefined ? 1 : line.qty;
  }
  // Fractional quantities would otherwise surface float noise such as 0.30000000000000004.
  return { total, itemCount: Math.round(itemCount * 1000) / 1000 };
}

function toMilli(qty: number): bigint {
  return BigInt(Math.round(qty * Number(QTY_SCALE)));
}

/** Non-negative numerator assumed: every price, quantity and weight in the protocol is. */
function divideHalfUp(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}
