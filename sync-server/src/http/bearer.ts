import { timingSafeEqual, createHash } from 'node:crypto';

/** Compares a bearer token in constant time (hashing first so lengths never leak). */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = createHash('sha256').update(header.slice(7)).digest();
  const want = createHash('sha256').update(expected).digest();
  return timingSafeEqual(given, want);
}
