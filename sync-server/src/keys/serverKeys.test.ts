import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import {
  generateClipKey,
  importServerPublicKey,
  unwrapClipKey,
  wrapClipKey,
} from '../../../src/core/evidence/clipCipher.ts';
import { PRIVATE_KEY_FILE, ServerKeyError, keyIdOf, loadServerKeys } from './serverKeys.ts';
import { registerServerKeyRoute } from './serverKeyRoute.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'serverkeys-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('server keys', () => {
  it('generates a private key readable only by its owner, and loads the same key on the next start', async () => {
    const dir = path.join(tmp(), 'keys');
    const first = await loadServerKeys(dir);
    const file = path.join(dir, PRIVATE_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const again = await loadServerKeys(dir);
    expect(again.keyId).toBe(first.keyId);
    expect(first.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(first.keyId).toBe(keyIdOf(first.publicJwk));
    // Public only: no private RSA members leave the server.
    expect(Object.keys(first.publicJwk).sort()).toEqual(['alg', 'e', 'ext', 'kty', 'n']);
  });

  it('unwraps a clip key the kiosk wrapped with the served public key', async () => {
    const keys = await loadServerKeys(tmp());
    const clipKey = await generateClipKey();
    const wrapped = await wrapClipKey(clipKey, await importServerPublicKey(keys.publicJwk));
    const unwrapped = await unwrapClipKey(wrapped, keys.privateKey);
    const iv = new Uint8Array(12);
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, clipKey, new Uint8Array([1, 2, 3]));
    const opened = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, unwrapped, sealed));
    expect([...opened]).toEqual([1, 2, 3]);
  });

  it('encrypts the private key with KEY_PASSPHRASE and refuses to start without the right one', async () => {
    const dir = tmp();
    const keys = await loadServerKeys(dir, 'correct horse');
    expect(fs.readFileSync(path.join(dir, PRIVATE_KEY_FILE), 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
    expect((await loadServerKeys(dir, 'correct horse')).keyId).toBe(keys.keyId);
    await expect(loadServerKeys(dir)).rejects.toThrow(/set KEY_PASSPHRASE/);
    await expect(loadServerKeys(dir, 'wrong')).rejects.toBeInstanceOf(ServerKeyError);
  });

  it('serves { keyId, jwk } without authentication', async () => {
    const keys = await loadServerKeys(tmp());
    const app = Fastify();
    registerServerKeyRoute(app, async () => keys);
    const res = await app.inject({ method: 'GET', url: '/api/server-key' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ keyId: keys.keyId, jwk: keys.publicJwk });
    await app.close();
  });
});
