import type { FastifyInstance } from 'fastify';
import type { Auth } from '../auth/authenticate.ts';
import { httpError } from '../auth/httpError.ts';
import { verifyStoredAuditChain } from '../store/auditChain.ts';
import type { LazyServices } from './services.ts';

const MAX_PAGE = 1000;

/**
 * Admins read the audit log a page at a time. `verified` always covers the whole chain from its
 * first entry (a chain can only be checked from the start), so any changed, removed or reordered
 * entry anywhere shows, with the first broken seq.
 */
export function registerAuditRoutes(app: FastifyInstance, auth: Auth, services: LazyServices): void {
  app.get<{ Querystring: { sinceSeq?: string; limit?: string } }>(
    '/api/audit',
    { preHandler: auth.requireRole('admin') },
    async (req) => {
      const sinceSeq = Number(req.query.sinceSeq ?? 0);
      const limit = Number(req.query.limit ?? 500);
      if (
        !Number.isInteger(sinceSeq) ||
        sinceSeq < 0 ||
        !Number.isInteger(limit) ||
        limit < 1 ||
        limit > MAX_PAGE
      ) {
        throw httpError(400, 'invalid', `sinceSeq must be an integer >= 0 and limit 1..${MAX_PAGE}.`);
      }
      const { store } = await services.get();
      const check = await verifyStoredAuditChain(store);
      const entries = await store.listAudit({ sinceSeq, limit });
      return check.ok
        ? { entries, verified: true, count: check.count }
        : { entries, verified: false, brokenAt: check.brokenAt, reason: check.reason };
    },
  );
}
