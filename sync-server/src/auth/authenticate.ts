import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { EvidenceStore, Principal, Role } from '../store/evidenceStore.ts';
import { bearerMatches } from '../http/bearer.ts';
import { httpError } from './httpError.ts';
import { hashSecret } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth preHandler; null until then and on unauthenticated routes. */
    principal: Principal | null;
  }
}

/** The ADMIN_TOKEN holder: not stored anywhere, so a fresh install (or a locked-out chain) always has a way in. */
export const BOOTSTRAP_ADMIN: Readonly<Principal> = {
  id: 'bootstrap-admin',
  kind: 'user',
  role: 'admin',
  name: 'ADMIN_TOKEN',
};

export interface Auth {
  /** preHandler: any valid token. */
  authenticate: preHandlerAsyncHookHandler;
  /** preHandler: a valid token whose role is one of `roles`. */
  requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
  /**
   * preHandler: a device token, bound to the lane(s) `lanesOf` reads from the request (a route param or
   * the lanes named in the body). A device may only ever write its own lane's data.
   */
  requireDevice(lanesOf: (req: FastifyRequest) => string[]): preHandlerAsyncHookHandler;
  /** The principal of an authenticated request (throws if the route forgot its preHandler). */
  principalOf(req: FastifyRequest): Principal;
}

export function createAuth(opts: { adminToken?: string; store: () => Promise<EvidenceStore> }): Auth {
  async function identify(req: FastifyRequest): Promise<Principal> {
    if (req.principal) return req.principal;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) {
      throw httpError(401, 'unauthorized', 'Send Authorization: Bearer <token>.');
    }
    // Constant-time comparison, and checked first so the bootstrap admin works even if the database is down.
    if (opts.adminToken && bearerMatches(`Bearer ${token}`, opts.adminToken)) {
      req.principal = { ...BOOTSTRAP_ADMIN };
      return req.principal;
    }
    const found = await (await opts.store()).findPrincipalByTokenHash(hashSecret(token));
    if (!found) throw httpError(401, 'unauthorized', 'The bearer token is unknown or has been revoked.');
    req.principal = found;
    return found;
  }

  const authenticate: preHandlerAsyncHookHandler = async (req) => {
    await identify(req);
  };

  return {
    authenticate,
    requireRole(...roles) {
      return async (req) => {
        const p = await identify(req);
        if (!roles.includes(p.role)) {
          throw httpError(
            403,
            'forbidden',
            `This needs one of the roles ${roles.join(', ')}; you are ${p.role}.`,
          );
        }
      };
    },
    requireDevice(lanesOf) {
      return async (req) => {
        const p = await identify(req);
        if (p.role !== 'device' || !p.lane) {
          throw httpError(403, 'forbidden', 'Only an enrolled lane device may write lane data.');
        }
        const foreign = lanesOf(req).filter((lane) => lane !== p.lane);
        if (foreign.length > 0) {
          throw httpError(
            403,
            'wrong-lane',
            `This device is enrolled for lane ${p.lane} and may not write data for lane ${[...new Set(foreign)].join(', ')}.`,
          );
        }
      };
    },
    principalOf(req) {
      if (!req.principal) throw httpError(401, 'unauthorized', 'Not authenticated.');
      return req.principal;
    },
  };
}
