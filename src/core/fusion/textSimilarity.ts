/**
 * How much OCR'd packaging text agrees with a POS product name. Character bigrams rather than
 * words because Chinese names have no spaces and OCR drops single characters; Dice rather than
 * edit distance because the label shows the name in pieces and in any order.
 */

function normalize(text: string): string[] {
  // Letters and digits of any script; case, spacing and punctuation carry no product identity.
  return Array.from(text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''));
}

function grams(chars: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (g: string): void => {
    out.set(g, (out.get(g) ?? 0) + 1);
  };
  if (chars.length === 1 && chars[0] !== undefined) add(chars[0]);
  for (let i = 0; i + 1 < chars.length; i++) add(`${chars[i] ?? ''}${chars[i + 1] ?? ''}`);
  return out;
}

/** Dice coefficient of character bigrams, 0 (nothing shared) .. 1 (same text). */
export function textSimilarity(a: string, b: string): number {
  const ga = grams(normalize(a));
  const gb = grams(normalize(b));
  let total = 0;
  for (const n of ga.values()) total += n;
  for (const n of gb.values()) total += n;
  if (total === 0) return 0;
  let shared = 0;
  for (const [g, n] of ga) shared += Math.min(n, gb.get(g) ?? 0);
  return (2 * shared) / total;
}

/**
 * Share of the characters read by OCR that occur in the product name, 0..1. Asymmetric on
 * purpose: a label is often read only in part (the brand, a fragment), and a partial but
 * correct read must not look like a different product.
 */
export function textContainment(read: string, name: string): number {
  const readChars = normalize(read);
  if (readChars.length === 0) return 0;
  const pool = new Map<string, number>();
  for (const c of normalize(name)) pool.set(c, (pool.get(c) ?? 0) + 1);
  let found = 0;
  for (const c of readChars) {
    const left = pool.get(c) ?? 0;
    if (left > 0) {
      found++;
      pool.set(c, left - 1);
    }
  }
  return found / readChars.length;
}
