import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The store server's RSA-OAEP key pair. Kiosks wrap every per-clip AES key with the public half, so
 * only this server (holding the private half) can open a clip, and only for an audited view.
 *
 * The private key lives in DATA_DIR/keys/server-private.pem (PKCS#8, mode 0600). With KEY_PASSPHRASE
 * set at first start it is written encrypted (PKCS#8 PBES2: PBKDF2 and AES-256-CBC), and the same
 * passphrase must be given on every later start. Losing the file (or the
 * passphrase) makes every stored clip unreadable, so back it up with the data directory.
 */
export interface ServerKeys {
  /** First 16 hex of SHA-256 over the public key's RFC 7638 members, so kiosks can tell keys apart. */
  keyId: string;
  /** The public key as served to kiosks (RSA-OAEP, SHA-256). */
  publicJwk: JsonWebKey;
  /** WebCrypto handle used to unwrap clip keys; not extractable. */
  privateKey: CryptoKey;
}

export class ServerKeyError extends Error {
  override name = 'ServerKeyError';
}

export const PRIVATE_KEY_FILE = 'server-private.pem';

export function keyIdOf(jwk: JsonWebKey): string {
  // Only the required members, in lexicographic order (RFC 7638), so optional fields never change the id.
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function readPrivateKey(file: string, passphrase: string | undefined): KeyObject {
  const pem = fs.readFileSync(file, 'utf8');
  const encrypted = pem.includes('ENCRYPTED PRIVATE KEY');
  if (encrypted && !passphrase) {
    throw new ServerKeyError(
      `${file} is encrypted: set KEY_PASSPHRASE to the passphrase it was created with`,
    );
  }
  try {
    return createPrivateKey(encrypted ? { key: pem, passphrase: passphrase ?? '' } : pem);
  } catch (err) {
    throw new ServerKeyError(
      encrypted
        ? `${file} could not be decrypted: KEY_PASSPHRASE is wrong`
        : `${file} is not a readable private key: ${(err as Error).message}`,
    );
  }
}

function createKeyFile(file: string, passphrase: string | undefined): void {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const pem = privateKey.export(
    passphrase
      ? { format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }
      : { format: 'pem', type: 'pkcs8' },
  );
  // Written under a temporary name and renamed, so a crash never leaves a half-written key behind.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, pem, { mode: 0o600, flag: 'wx' });
  fs.renameSync(tmp, file);
}

/** Loads the key pair from `dir`, generating it on first start. */
export async function loadServerKeys(dir: string, passphrase?: string): Promise<ServerKeys> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, PRIVATE_KEY_FILE);
  if (!fs.existsSync(file)) createKeyFile(file, passphrase || undefined);
  const keyObject = readPrivateKey(file, passphrase || undefined);
  if (keyObject.asymmetricKeyType !== 'rsa') throw new ServerKeyError(`${file} is not an RSA key`);
  const full = createPublicKey(keyObject).export({ format: 'jwk' });
  const publicJwk: JsonWebKey = { kty: 'RSA', n: full.n, e: full.e, alg: 'RSA-OAEP-256', ext: true };
  const der = keyObject.export({ format: 'der', type: 'pkcs8' });
  const privateKey = await globalThis.crypto.subtle.importKey(
    'pkcs8',
    new Uint8Array(der),
    { name: 'RSA-OAEP', hash: 'SHA-256' },
    false,
    ['unwrapKey'],
  );
  return { keyId: keyIdOf(publicJwk), publicJwk, privateKey };
}
