import { SYNC_API, type EnrolResponse, type ServerKey } from '../core/evidence/syncApi.ts';
import { importServerPublicKey } from '../core/evidence/clipCipher.ts';
import type { KioskDb } from '../storage/db.ts';
import type { ServerKeyHandle } from '../storage/evidenceVault.ts';
import { readServerMessage, type FetchLike } from './http.ts';

export interface EnrolOptions {
  baseUrl: string;
  fetch: FetchLike;
  lane: string;
  /** One-time code from the admin (or the demo code); only needed when not enrolled yet. */
  code?: string;
  /** Fetch the server key again even when one is cached (the server rotated its key). */
  refreshKey?: boolean;
  /** Enrol with `code` even though a token is stored (the token was revoked); the old one is replaced. */
  reenrol?: boolean;
}

/** What the maintenance screen may show: never the token. */
export interface EnrolmentState {
  deviceId: string;
  lane: string;
  keyId: string;
}

export type EnrolmentErrorKind = 'needs-code' | 'rejected' | 'unreachable' | 'server';

export class EnrolmentError extends Error {
  override name = 'EnrolmentError';
  constructor(
    readonly kind: EnrolmentErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Makes sure the kiosk holds a device token for its lane and the server's public key. The token is
 * saved the moment the server issues it, before the key is fetched: enrolment codes are one-time, so
 * losing the token to a failed key request would strand the kiosk. Recorded evidence is untouched
 * by any failure here.
 */
export async function ensureEnrolled(db: KioskDb, opts: EnrolOptions): Promise<EnrolmentState> {
  let device = await db.getMeta('device');
  if (!device || device.lane !== opts.lane || opts.reenrol === true) {
    if (opts.code === undefined || opts.code.trim() === '') {
      throw new EnrolmentError(
        'needs-code',
        device && device.lane !== opts.lane
          ? `This kiosk is enrolled for lane ${device.lane}, but is now configured as lane ${opts.lane}: ` +
              'enrol again with a code for this lane.'
          : 'This kiosk is not enrolled: enter the enrolment code from the admin on the maintenance screen.',
      );
    }
    const res = await send(opts, SYNC_API.enrol, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: opts.code.trim(), lane: opts.lane }),
    });
    if (!res.ok) {
      const message = await readServerMessage(res);
      if (res.status === 400 || res.status === 401 || res.status === 403 || res.status === 429) {
        throw new EnrolmentError('rejected', `enrolment code rejected by the server: ${message}`);
      }
      throw serverError(res.status, message);
    }
    const body = (await res.json()) as EnrolResponse;
    device = {
      deviceId: body.deviceId,
      lane: body.lane,
      token: body.token,
      enrolledAt: new Date().toISOString(),
    };
    await db.setMeta('device', device);
    // A new identity may be trusted by a different key set: never reuse a key cached for another device.
    await db.meta.delete('serverKey');
  }

  let key = await db.getMeta('serverKey');
  if (!key || opts.refreshKey) {
    const res = await send(opts, SYNC_API.serverKey, {
      headers: { authorization: `Bearer ${device.token}` },
    });
    if (!res.ok) {
      const message = await readServerMessage(res);
      if (res.status === 401 || res.status === 403) {
        throw new EnrolmentError(
          'rejected',
          `the server no longer accepts this kiosk's device token (${message}); enrol again with a new code`,
        );
      }
      throw serverError(res.status, message);
    }
    const body = (await res.json()) as ServerKey;
    // Import before caching, so a malformed key is refused instead of breaking every later clip.
    try {
      await importServerPublicKey(body.jwk);
    } catch (err) {
      throw new EnrolmentError(
        'server',
        `the server key is not a usable RSA-OAEP key: ${(err as Error).message}`,
      );
    }
    key = { keyId: body.keyId, jwk: body.jwk, fetchedAt: new Date().toISOString() };
    await db.setMeta('serverKey', key);
  }
  return { deviceId: device.deviceId, lane: device.lane, keyId: key.keyId };
}

/** Enrolment as stored, for the maintenance screen; undefined when never enrolled. */
export async function enrolmentState(db: KioskDb): Promise<Partial<EnrolmentState> | undefined> {
  const [device, key] = await Promise.all([db.getMeta('device'), db.getMeta('serverKey')]);
  if (!device) return undefined;
  const state: Partial<EnrolmentState> = { deviceId: device.deviceId, lane: device.lane };
  if (key) state.keyId = key.keyId;
  return state;
}

/**
 * The vault's key source: imports the cached JWK (no network, so recording works offline) and
 * keeps the imported key until the cached keyId changes.
 */
export function serverKeySource(db: KioskDb): () => Promise<ServerKeyHandle> {
  let cached: ServerKeyHandle | undefined;
  return async () => {
    const meta = await db.getMeta('serverKey');
    if (!meta) throw new EnrolmentError('needs-code', 'the kiosk is not enrolled (no server key cached)');
    if (cached?.keyId !== meta.keyId) {
      cached = { keyId: meta.keyId, key: await importServerPublicKey(meta.jwk) };
    }
    return cached;
  };
}

async function send(opts: EnrolOptions, path: string, init: RequestInit): Promise<Response> {
  try {
    return await opts.fetch(new URL(path, opts.baseUrl).toString(), init);
  } catch (err) {
    throw new EnrolmentError(
      'unreachable',
      `the store server is unreachable (${(err as Error).message}); try again later. ` +
        'Nothing recorded on this kiosk is lost meanwhile.',
    );
  }
}

function serverError(status: number, message: string): EnrolmentError {
  return new EnrolmentError(
    status >= 500 ? 'unreachable' : 'server',
    `the store server answered ${status}: ${message}` + (status >= 500 ? '; try again later' : ''),
  );
}
