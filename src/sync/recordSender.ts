import { SYNC_API, type RecordsResponse } from '../core/evidence/syncApi.ts';
import type { OrderVideoRecord } from '../core/evidence/record.ts';
import type { KioskDb, OutboxRow } from '../storage/db.ts';
import { classifyFailure, readServerError, retryAfterMs, type FetchLike } from './http.ts';
import { markFailed, markRecordsStored, retryLater } from './outbox.ts';

/** How one step ended: go on with the next item, or stop this run (server down, token refused). */
export type StepOutcome = 'continue' | 'stop';

/** What the senders report to the agent, which owns status, the global pause and the halt. */
export interface SyncReporter {
  /** The request reached the server and it confirmed something. */
  success(): void;
  /** Network failure (reached: false) or a transient server answer: the whole agent pauses. */
  transient(message: string, opts: { reached: boolean; retryAfterMs?: number }): void;
  /** 401/403: the device token is not (or no longer) valid. */
  rejected(status: number, message: string): void;
  /** One item refused for good; others go on. */
  failed(message: string): void;
}

export interface SenderContext {
  db: KioskDb;
  fetch: FetchLike;
  baseUrl: string;
  token: string;
  now(): number;
  random(): number;
  report: SyncReporter;
}

/**
 * Sends one batch of records. A batch the server refuses as a whole (a 4xx that is not about auth
 * or load) is halved until the record it objects to is alone, so one bad record cannot hold back the
 * 49 good ones sent with it.
 */
export async function sendRecordBatch(ctx: SenderContext, entries: OutboxRow[]): Promise<StepOutcome> {
  const rows = await ctx.db.records.bulkGet(entries.map((e) => e.ref));
  const live: OutboxRow[] = [];
  const records: OrderVideoRecord[] = [];
  entries.forEach((e, i) => {
    const row = rows[i];
    if (row) {
      live.push(e);
      records.push(row.record);
    }
  });
  // An entry whose record is gone (it cannot be: records leave only once synced) is just dropped.
  const orphans = entries.filter((e) => !live.includes(e)).flatMap((e) => (e.id === undefined ? [] : [e.id]));
  if (orphans.length > 0) await ctx.db.outbox.bulkDelete(orphans);
  if (live.length === 0) return 'continue';

  let res: Response;
  try {
    res = await ctx.fetch(new URL(SYNC_API.records, ctx.baseUrl).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.token}` },
      body: JSON.stringify({ records }),
    });
  } catch (err) {
    const message = `store server unreachable: ${(err as Error).message}`;
    await retryLater(ctx.db, live, message, ctx.now(), ctx.random);
    ctx.report.transient(message, { reached: false });
    return 'stop';
  }

  if (!res.ok) {
    const err = await readServerError(res);
    const message = `records: HTTP ${res.status}: ${err.message}`;
    const kind = classifyFailure(res.status, err.code, 'records');
    if (kind === 'auth') {
      ctx.report.rejected(res.status, err.message);
      return 'stop';
    }
    if (kind === 'transient') {
      const wait = retryAfterMs(res.headers.get('retry-after'));
      await retryLater(ctx.db, live, message, ctx.now(), ctx.random, wait);
      ctx.report.transient(
        message,
        wait === undefined ? { reached: true } : { reached: true, retryAfterMs: wait },
      );
      return 'stop';
    }
    if (live.length > 1) {
      const half = Math.ceil(live.length / 2);
      if ((await sendRecordBatch(ctx, live.slice(0, half))) === 'stop') return 'stop';
      return sendRecordBatch(ctx, live.slice(half));
    }
    const only = live[0]!;
    await markFailed(ctx.db, only, `record ${only.ref} refused: ${message}`, ctx.now());
    ctx.report.failed(`record ${only.ref} refused: ${message}`);
    return 'continue';
  }

  let body: RecordsResponse;
  try {
    body = (await res.json()) as RecordsResponse;
    if (!Array.isArray(body.stored) || !Array.isArray(body.rejected))
      throw new Error('missing stored/rejected');
  } catch (err) {
    // A 2xx we cannot read confirms nothing: nothing is marked synced.
    const message = `records: unreadable answer from the server (${(err as Error).message})`;
    await retryLater(ctx.db, live, message, ctx.now(), ctx.random);
    ctx.report.transient(message, { reached: true });
    return 'stop';
  }

  const stored = new Set(body.stored);
  const rejected = new Map(body.rejected.map((r) => [r.txn, r.error]));
  const confirmed = live.filter((e) => stored.has(e.ref));
  const sentAt = new Map(records.map((r) => [r.txn, r.recordedAt]));
  await markRecordsStored(ctx.db, confirmed, sentAt, ctx.now());
  if (confirmed.length > 0) ctx.report.success();
  for (const e of live) {
    const error = rejected.get(e.ref);
    if (error !== undefined && !stored.has(e.ref)) {
      await markFailed(ctx.db, e, `record ${e.ref} refused: ${error}`, ctx.now());
      ctx.report.failed(`record ${e.ref} refused: ${error}`);
    }
  }
  const unanswered = live.filter((e) => !stored.has(e.ref) && !rejected.has(e.ref));
  if (unanswered.length > 0) {
    await retryLater(ctx.db, unanswered, 'the server did not confirm these records', ctx.now(), ctx.random);
  }
  return 'continue';
}
