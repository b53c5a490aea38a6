import type { EvidenceStore, Principal, Role } from '../store/evidenceStore.ts';
import { BOOTSTRAP_ADMIN } from '../auth/authenticate.ts';
import { bearerMatches } from '../http/bearer.ts';
import { hashSecret } from '../auth/tokens.ts';

/** Subprotocol the kiosk offers with its token; the server answers with this one, never echoing the token. */
export const RELAY_PROTOCOL = 'lane-relay.v1';
/** Prefix of the subprotocol that carries the device token (a WebSocket cannot send Authorization). */
export const BEARER_PROTOCOL_PREFIX = 'bearer.';

export type AccessResult =
  { ok: true; principal: Principal } | { ok: false; status: 401 | 403 | 503; error: string; message: string };

export interface LaneAccess {
  /** A device token for `lane` itself, or an admin. */
  forLane(token: string | undefined, lane: string): Promise<AccessResult>;
  /** A user token with one of `roles` (the guide wall: guide, lossPrevention, admin). */
  forRoles(token: string | undefined, roles: readonly Role[]): Promise<AccessResult>;
}

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header?.startsWith('Bearer ')) return undefined;
  const token = header.slice(7).trim();
  return token === '' ? undefined : token;
}

/** The token a kiosk put in `Sec-WebSocket-Protocol: lane-relay.v1, bearer.<token>`. */
export function protocolToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const entry = value
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
  const token = entry?.slice(BEARER_PROTOCOL_PREFIX.length);
  return token ? token : undefined;
}

/** The guide wall's login in demo mode (printed at start; never accepted with DEMO off). */
export const DEMO_GUIDE_TOKEN = 'demo-guide-token';
const DEMO_GUIDE: Readonly<Principal> = { id: 'demo-guide', kind: 'user', role: 'guide', name: 'demo guide' };

const UNAUTHORIZED = (message: string): AccessResult => ({
  ok: false,
  status: 401,
  error: 'unauthorized',
  message,
});

/**
 * Who may follow or publish a lane: the lane's own enrolled device, or an admin; the guide wall
 * needs a user with a floor role. Tokens are checked like every evidence endpoint's (the bootstrap
 * admin in constant time, others by hash), so enrolment is the one way a kiosk gets its credential.
 */
export function createLaneAccess(opts: {
  adminToken?: string;
  /** Demo mode only: a documented guide login, so the demo's guide wall works without an admin. */
  demoGuideToken?: string;
  store: () => Promise<EvidenceStore>;
}): LaneAccess {
  async function identify(token: string | undefined): Promise<AccessResult> {
    if (!token) return UNAUTHORIZED('Send the device token (enrol the kiosk first).');
    if (opts.adminToken && bearerMatches(`Bearer ${token}`, opts.adminToken)) {
      return { ok: true, principal: { ...BOOTSTRAP_ADMIN } };
    }
    if (opts.demoGuideToken && bearerMatches(`Bearer ${token}`, opts.demoGuideToken)) {
      return { ok: true, principal: { ...DEMO_GUIDE } };
    }
    let found: Principal | null;
    try {
      found = await (await opts.store()).findPrincipalByTokenHash(hashSecret(token));
    } catch (err) {
      return {
        ok: false,
        status: 503,
        error: 'evidence-unavailable',
        message: `Tokens cannot be checked now: ${(err as Error).message}`,
      };
    }
    return found ? { ok: true, principal: found } : UNAUTHORIZED('The token is unknown or has been revoked.');
  }

  return {
    async forLane(token, lane) {
      const who = await identify(token);
      if (!who.ok || who.principal.role === 'admin') return who;
      if (who.principal.role !== 'device') {
        return {
          ok: false,
          status: 403,
          error: 'forbidden',
          message: 'Only the lane device or an admin may do this.',
        };
      }
      if (who.principal.lane !== lane) {
        return {
          ok: false,
          status: 403,
          error: 'wrong-lane',
          message: `This device is enrolled for lane ${who.principal.lane ?? '?'}, not ${lane}.`,
        };
      }
      return who;
    },
    async forRoles(token, roles) {
      const who = await identify(token);
      if (!who.ok) return who;
      if (!roles.includes(who.principal.role)) {
        return {
          ok: false,
          status: 403,
          error: 'forbidden',
          message: `This needs one of the roles ${roles.join(', ')}; the token is for ${who.principal.role}.`,
        };
      }
      return who;
    },
  };
}
