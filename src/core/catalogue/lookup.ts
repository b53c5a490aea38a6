/**
 * Turns what a scanner sent into a catalogue line: a plain GTIN finds a packaged product, an
 * in-store scale label (see ../scan/variableMeasure.ts) finds a product by its PLU and carries the
 * weight or price. This is what the kiosk calls for each wedge scan in demo mode.
 *
 * Lookups index a catalogue on first use and keep the index for as long as the array lives, so a
 * catalogue must not be edited in place once used; swap in a new array instead.
 */
import { normalizeGtin } from '../scan/gtin.ts';
import type { VariableMeasureLayout } from '../scan/variableMeasure.ts';
import { DEFAULT_VARIABLE_MEASURE_LAYOUTS, parseScannedCode } from '../scan/variableMeasure.ts';

export type Product = {
  /** GTIN as printed on the pack (any valid length); compared in 14-digit form. */
  gtin: string;
  name: string;
  nameEn: string;
  /** Minor units (fen). Per kilogram when soldBy is 'weight'. */
  unitPrice: number;
  soldBy: 'unit' | 'weight';
  /** Store item code printed into scale labels, as the layout's itemDigits read it. */
  plu?: string;
  category: string;
};

/**
 * `lineTotal` is present only when the label fixes it (weight or price labels); otherwise the
 * line costs unitPrice × qty and stays correct when the quantity later changes.
 */
export type ScanResolution =
  | { ok: true; product: Product; qty: 1; weightGrams?: number; lineTotal?: number }
  | { ok: false; reason: string };

type CatalogueIndex = { byGtin: Map<string, Product>; byPlu: Map<string, Product> };

const indexes = new WeakMap<readonly Product[], CatalogueIndex>();

function indexFor(catalogue: readonly Product[]): CatalogueIndex {
  const cached = indexes.get(catalogue);
  if (cached) return cached;
  const index: CatalogueIndex = { byGtin: new Map(), byPlu: new Map() };
  // First entry wins, so an accidental duplicate cannot silently replace a product.
  for (const product of catalogue) {
    const gtin = normalizeGtin(product.gtin);
    if (gtin !== null && !index.byGtin.has(gtin)) index.byGtin.set(gtin, product);
    if (product.plu !== undefined && !index.byPlu.has(product.plu)) index.byPlu.set(product.plu, product);
  }
  indexes.set(catalogue, index);
  return index;
}

/** Product with this GTIN in any length (8, 12, 13 or 14 digits), if any. */
export function findProductByGtin(catalogue: readonly Product[], code: string): Product | undefined {
  const gtin = normalizeGtin(code);
  return gtin === null ? undefined : indexFor(catalogue).byGtin.get(gtin);
}

export function findProductByPlu(catalogue: readonly Product[], plu: string): Product | undefined {
  return indexFor(catalogue).byPlu.get(plu);
}

/** Price of a weighed line, rounded to the nearest minor unit (halves up), as scales print it. */
export function weighedLineTotal(unitPricePerKg: number, weightGrams: number): number {
  return Math.round((unitPricePerKg * weightGrams) / 1000);
}

export function resolveScan(
  code: string,
  catalogue: readonly Product[],
  layouts: readonly VariableMeasureLayout[] = DEFAULT_VARIABLE_MEASURE_LAYOUTS,
): ScanResolution {
  const parsed = parseScannedCode(code, layouts);
  if (!parsed.ok) return parsed;
  const index = indexFor(catalogue);

  if (parsed.kind === 'gtin') {
    const product = index.byGtin.get(parsed.gtin);
    if (!product) return { ok: false, reason: `unknown product: no item has GTIN ${code.trim()}` };
    if (product.soldBy === 'weight') {
      // Without a label there is no weight to charge for.
      return { ok: false, reason: `${product.nameEn} is sold by weight: scan its scale label` };
    }
    return { ok: true, product, qty: 1 };
  }

  const product = index.byPlu.get(parsed.itemRef);
  if (!product) return { ok: false, reason: `unknown product: no item has PLU ${parsed.itemRef}` };
  if (parsed.kind === 'variablePrice') return { ok: true, product, qty: 1, lineTotal: parsed.priceMinor };
  if (product.soldBy !== 'weight') {
    return { ok: false, reason: `label gives a weight but ${product.nameEn} is sold by the unit` };
  }
  return {
    ok: true,
    product,
    qty: 1,
    weightGrams: parsed.weightGrams,
    lineTotal: weighedLineTotal(product.unitPrice, parsed.weightGrams),
  };
}
