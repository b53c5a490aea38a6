import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RecordsResponse } from '../../../src/core/evidence/syncApi.ts';
import type { Auth } from '../auth/authenticate.ts';
import { httpError } from '../auth/httpError.ts';
import { StoreConflictError, StoreInputError } from '../store/storeErrors.ts';
import { checkRecord } from './recordValidation.ts';
import type { LazyServices } from './services.ts';

export const MAX_RECORDS_PER_REQUEST = 100;

function recordsOf(req: FastifyRequest): unknown[] {
  const body = req.body as { records?: unknown } | null | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.records)) {
    throw httpError(400, 'invalid', 'Send { records: OrderVideoRecord[] }.');
  }
  if (body.records.length > MAX_RECORDS_PER_REQUEST) {
    throw httpError(
      400,
      'too-many',
      `At most ${MAX_RECORDS_PER_REQUEST} records per request; got ${body.records.length}.`,
    );
  }
  return body.records;
}

/** The lanes a batch claims to write, for the device check (an unreadable lane counts as foreign). */
function lanesIn(req: FastifyRequest): string[] {
  return recordsOf(req).map((r) => {
    const lane = (r as { lane?: unknown } | null)?.lane;
    return typeof lane === 'string' ? lane : '(missing)';
  });
}

/**
 * Kiosks sync their sealed order records here, in batches from the outbox. Storing is idempotent, so
 * a batch retried after a lost response is harmless; each record is accepted or refused on its own.
 */
export function registerRecordRoutes(
  app: FastifyInstance,
  auth: Auth,
  services: LazyServices,
  opts: { bodyLimit: number },
): void {
  app.post(
    '/api/sync/records',
    // A batch of 100 records with full timelines outgrows the 1 MB default body limit.
    { bodyLimit: opts.bodyLimit, preHandler: auth.requireDevice(lanesIn) },
    async (req) => {
      const device = auth.principalOf(req);
      const { store } = await services.get();
      const receivedAt = new Date().toISOString();
      const response: RecordsResponse = { stored: [], rejected: [] };
      for (const raw of recordsOf(req)) {
        const checked = checkRecord(raw);
        if (!checked.ok) {
          const txn = (raw as { txn?: unknown } | null)?.txn;
          response.rejected.push({
            txn: typeof txn === 'string' ? txn.slice(0, 64) : '',
            error: checked.error,
          });
          continue;
        }
        const { record } = checked;
        const existing = await store.getRecord(record.txn);
        if (existing && existing.record.lane !== device.lane) {
          response.rejected.push({ txn: record.txn, error: `txn ${record.txn} belongs to another lane` });
          continue;
        }
        if (existing?.clipSha256 && record.clip?.sha256 !== existing.clipSha256) {
          // The stored clip is evidence: a later record may not swap it for another one.
          response.rejected.push({
            txn: record.txn,
            error: 'the clip for this txn is already stored; it cannot change',
          });
          continue;
        }
        try {
          await store.upsertRecord(record, receivedAt);
        } catch (err) {
          // The store's own checks (personal data, lane conflicts) refuse one record, not the batch.
          if (!(err instanceof StoreInputError || err instanceof StoreConflictError)) throw err;
          response.rejected.push({ txn: record.txn, error: err.message });
          continue;
        }
        response.stored.push(record.txn);
      }
      return response;
    },
  );
}
