/**
 * Masking for member and payment references before they reach a screen, a log or an order.
 *
 * The mask has a fixed width so it does not give away how long the reference is. At most the last
 * four characters show, and never more than a third of the value, so short references (where four
 * characters would be most of the secret) reveal little or nothing.
 */
const MASK = '••••';
const MAX_VISIBLE = 4;
/** Below this length nothing is shown at all. */
const MIN_LENGTH_TO_REVEAL = 8;

export function maskRef(ref: string): string {
  // Code points, not UTF-16 units, so a visible tail never starts with half a surrogate pair.
  const chars = Array.from(typeof ref === 'string' ? ref : '');
  if (chars.length < MIN_LENGTH_TO_REVEAL) return MASK;
  const visible = Math.min(MAX_VISIBLE, Math.floor(chars.length / 3));
  return MASK + chars.slice(chars.length - visible).join('');
}
