import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Bearer tokens: 32 random bytes, base64url. Only their SHA-256 is ever stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function newPrincipalId(kind: 'usr' | 'dev'): string {
  return `${kind}_${randomBytes(9).toString('base64url')}`;
}

// Crockford's base32 alphabet: no I, L, O or U, so a code read off a screen cannot be mistyped as another.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 10;

/** A one-time enrolment code, typed by a person at the kiosk: 10 characters (50 bits), shown as XXXXX-XXXXX. */
export function newEnrolmentCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Case, spaces and dashes do not matter when a code is typed back in. */
export function normaliseEnrolmentCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}
