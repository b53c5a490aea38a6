import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/authenticate.ts';
import { httpError } from '../auth/httpError.ts';
import { isTxnId } from './ids.ts';
import type { LazyServices } from './services.ts';

export type TxnRequest = FastifyRequest<{ Params: { txn: string } }>;

/** The txn from the path, refused unless it is a safe id (it reaches file names and SQL). */
export function txnParam(req: TxnRequest): string {
  const { txn } = req.params;
  if (!isTxnId(txn))
    throw httpError(400, 'bad-txn', 'txn must be 1-64 letters, digits, . _ : or - (no "..").');
  return txn;
}

/** Reviewers read one order's record; loss prevention holds evidence past retention and resolves it. */
export function registerOrderRoutes(app: FastifyInstance, auth: Auth, services: LazyServices): void {
  app.get<{ Params: { txn: string } }>(
    '/api/orders/:txn',
    { preHandler: auth.requireRole('admin', 'lossPrevention', 'guide') },
    async (req) => {
      const txn = txnParam(req);
      const { store } = await services.get();
      const stored = await store.getRecord(txn);
      if (!stored) throw httpError(404, 'not-found', `No record for ${txn}.`);
      const who = auth.principalOf(req);
      await store.appendAudit({
        at: new Date().toISOString(),
        actor: who.id,
        action: 'record.view',
        target: txn,
        detail: { role: who.role },
      });
      return stored;
    },
  );

  const reviewers = { preHandler: auth.requireRole('admin', 'lossPrevention') };
  for (const action of ['hold', 'resolve'] as const) {
    app.post<{ Params: { txn: string } }>(`/api/orders/:txn/${action}`, reviewers, async (req) => {
      const txn = txnParam(req);
      const { store } = await services.get();
      if (!(await store.getRecord(txn))) throw httpError(404, 'not-found', `No record for ${txn}.`);
      const now = new Date().toISOString();
      // Resolving releases the hold and clears the flag's claim on retention; the record then ages out normally.
      if (action === 'hold') await store.setHold(txn, true);
      else await store.setHold(txn, false, now);
      const who = auth.principalOf(req);
      await store.appendAudit({
        at: now,
        actor: who.id,
        action: `record.${action}`,
        target: txn,
        detail: { role: who.role },
      });
      return (await store.getRecord(txn)) ?? { txn };
    });
  }
}
