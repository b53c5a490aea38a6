import type { OrderVideoRecord } from '../../../../src/core/evidence/record.ts';
import type { LaneZones } from '../../../../src/core/lane/zones.ts';
import type {
  AuditEntry,
  EvidenceStore,
  Principal,
  RecordCursor,
  Role,
  StoredLaneZones,
  StoredRecord,
} from '../../store/evidenceStore.ts';
import { GENESIS_HASH, auditHash } from '../../store/auditChain.ts';
import { StoreConflictError, StoreNotFoundError } from '../../store/storeErrors.ts';

/**
 * TEST DOUBLE. An in-memory EvidenceStore for fast route tests; the real store (PGlite/PostgreSQL) is
 * exercised by the integration test. It follows the interface's documented semantics closely enough
 * for routes to tell the difference between stored/unchanged, consumed/unknown codes and so on.
 */
export class MemoryEvidenceStore implements EvidenceStore {
  readonly principals = new Map<string, { p: Principal; tokenHash: string }>();
  readonly codes = new Map<string, { lane: string; expiresAt: string; used: boolean }>();
  readonly records = new Map<string, StoredRecord>();
  readonly audit: AuditEntry[] = [];
  readonly laneZones = new Map<string, StoredLaneZones>();

  async migrate(): Promise<void> {}
  async close(): Promise<void> {}

  async createPrincipal(p: Principal, tokenHash: string): Promise<void> {
    this.principals.set(p.id, { p: { ...p }, tokenHash });
  }
  async findPrincipalByTokenHash(tokenHash: string): Promise<Principal | null> {
    for (const { p, tokenHash: h } of this.principals.values()) if (h === tokenHash) return { ...p };
    return null;
  }
  async setRole(principalId: string, role: Role): Promise<void> {
    const entry = this.principals.get(principalId);
    if (entry) entry.p.role = role;
  }
  async listPrincipals(): Promise<Principal[]> {
    return [...this.principals.values()].map(({ p }) => ({ ...p }));
  }

  async createEnrolmentCode(codeHash: string, lane: string, expiresAt: string): Promise<void> {
    this.codes.set(codeHash, { lane, expiresAt, used: false });
  }
  async consumeEnrolmentCode(codeHash: string, nowIso: string): Promise<string | null> {
    const code = this.codes.get(codeHash);
    if (!code || code.used || code.expiresAt <= nowIso) return null;
    code.used = true;
    return code.lane;
  }

  async upsertRecord(record: OrderVideoRecord, receivedAt: string): Promise<'stored' | 'unchanged'> {
    const existing = this.records.get(record.txn);
    if (existing && existing.record.lane !== record.lane) {
      throw new StoreConflictError(`txn ${record.txn} is already stored for another lane`);
    }
    // As the SQL store: a re-sealed record replaces the stored one only when it is newer.
    if (existing && Date.parse(record.recordedAt) <= Date.parse(existing.record.recordedAt))
      return 'unchanged';
    this.records.set(record.txn, {
      ...existing,
      record: structuredClone(record),
      receivedAt,
      hold: existing?.hold ?? false,
    });
    return 'stored';
  }
  async getRecord(txn: string): Promise<StoredRecord | null> {
    const r = this.records.get(txn);
    return r ? structuredClone(r) : null;
  }
  async listRecords(q: { lane?: string; since?: string; limit: number }): Promise<StoredRecord[]> {
    return [...this.records.values()]
      .filter((r) => (!q.lane || r.record.lane === q.lane) && (!q.since || r.receivedAt >= q.since))
      .slice(0, q.limit);
  }
  async attachClip(txn: string, sha256: string, bytes: number): Promise<void> {
    const r = this.records.get(txn);
    if (!r) throw new StoreNotFoundError(`no record ${txn}`);
    if (r.record.clip && r.record.clip.sha256 !== sha256)
      throw new StoreConflictError(`the clip does not match ${txn}`);
    r.clipSha256 = sha256;
    r.clipBytes = bytes;
  }
  async setHold(txn: string, hold: boolean, resolvedAt?: string): Promise<void> {
    const r = this.records.get(txn);
    if (!r) return;
    r.hold = hold;
    if (resolvedAt) r.resolvedAt = resolvedAt;
  }
  async expiredRecords(beforeIso: string, limit: number, after?: RecordCursor): Promise<StoredRecord[]> {
    const key = (r: { receivedAt: string; txn: string }) => `${r.receivedAt}\u0000${r.txn}`;
    return [...this.records.values()]
      .filter((r) => r.receivedAt < beforeIso && !r.hold && !(r.record.flagged && !r.resolvedAt))
      .filter((r) => !after || key({ receivedAt: r.receivedAt, txn: r.record.txn }) > key(after))
      .sort((a, b) =>
        a.receivedAt === b.receivedAt
          ? a.record.txn.localeCompare(b.record.txn)
          : a.receivedAt < b.receivedAt
            ? -1
            : 1,
      )
      .slice(0, limit);
  }
  async countKept(beforeIso: string): Promise<number> {
    return [...this.records.values()].filter(
      (r) => r.receivedAt < beforeIso && (r.hold || (r.record.flagged && !r.resolvedAt)),
    ).length;
  }
  async isClipReferenced(sha256: string): Promise<boolean> {
    return [...this.records.values()].some((r) => r.clipSha256 === sha256);
  }
  async deleteRecord(txn: string): Promise<void> {
    this.records.delete(txn);
  }

  async appendAudit(entry: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>): Promise<AuditEntry> {
    const prevHash = this.audit.at(-1)?.hash ?? GENESIS_HASH;
    const body = { ...entry, seq: this.audit.length + 1 };
    const full: AuditEntry = { ...body, prevHash, hash: auditHash(prevHash, body) };
    this.audit.push(full);
    return { ...full };
  }
  async listAudit(q: { sinceSeq?: number; limit: number }): Promise<AuditEntry[]> {
    return this.audit
      .filter((e) => e.seq > (q.sinceSeq ?? 0))
      .slice(0, q.limit)
      .map((e) => ({ ...e }));
  }

  async putLaneZones(lane: string, zones: LaneZones, updatedBy: string, storedAt: string): Promise<void> {
    this.laneZones.set(lane, { lane, zones: structuredClone(zones), updatedBy, storedAt });
  }
  async getLaneZones(lane: string): Promise<StoredLaneZones | null> {
    const z = this.laneZones.get(lane);
    return z ? structuredClone(z) : null;
  }
}
