import { createHash } from 'node:crypto';
import type { AuditEntry, EvidenceStore } from './evidenceStore.ts';

/**
 * The audit log's hash chain. Each entry's hash covers the previous entry's hash and the canonical
 * JSON of its own content, so changing, removing or reordering any entry breaks every link after it.
 * Canonical JSON (object keys sorted at every depth, no spaces) makes the hash independent of how a
 * database returns jsonb (PostgreSQL reorders keys).
 */
export const GENESIS_HASH = '0'.repeat(64);

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  // Strings, finite numbers, booleans, null (and NaN/Infinity as null, as JSON does).
  return JSON.stringify(value) ?? 'null';
}

export type AuditContent = Omit<AuditEntry, 'prevHash' | 'hash'>;

export function auditHash(prevHash: string, e: AuditContent): string {
  const body = canonicalJson({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    target: e.target,
    detail: e.detail,
  });
  return createHash('sha256')
    .update(prevHash + body, 'utf8')
    .digest('hex');
}

export type ChainCheck =
  | { ok: true; count: number; head: { seq: number; hash: string } | null }
  | { ok: false; brokenAt: number; reason: string };

/**
 * Finds the first broken link in `entries` (in seq order). `from` is the entry just before the
 * first one when checking a later page; without it the entries must start at seq 1 from genesis.
 */
export function verifyAuditChain(
  entries: readonly AuditEntry[],
  from: { seq: number; hash: string } | null = null,
): ChainCheck {
  let prevSeq = from?.seq ?? 0;
  let prevHash = from?.hash ?? GENESIS_HASH;
  for (const e of entries) {
    if (e.seq !== prevSeq + 1) {
      return { ok: false, brokenAt: e.seq, reason: `expected seq ${prevSeq + 1}, found ${e.seq}` };
    }
    if (e.prevHash !== prevHash) {
      return { ok: false, brokenAt: e.seq, reason: 'prevHash does not match the previous entry' };
    }
    if (auditHash(prevHash, e) !== e.hash) {
      return { ok: false, brokenAt: e.seq, reason: 'hash does not match the entry content' };
    }
    prevSeq = e.seq;
    prevHash = e.hash;
  }
  const head = prevSeq > 0 ? { seq: prevSeq, hash: prevHash } : null;
  return { ok: true, count: entries.length, head };
}

/** Verifies a store's whole audit log, page by page, without holding it all in memory. */
export async function verifyStoredAuditChain(store: EvidenceStore, pageSize = 1000): Promise<ChainCheck> {
  let anchor: { seq: number; hash: string } | null = null;
  let count = 0;
  for (;;) {
    const page = await store.listAudit({ sinceSeq: anchor?.seq ?? 0, limit: pageSize });
    if (page.length === 0) return { ok: true, count, head: anchor };
    const check = verifyAuditChain(page, anchor);
    if (!check.ok) return check;
    count += check.count;
    anchor = check.head;
  }
}
