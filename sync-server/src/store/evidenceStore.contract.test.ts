import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyStoredAuditChain } from './auditChain.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { fakeSha, sampleRecord } from './sampleRecord.testkit.ts';
import { BACKENDS, openTestStore, type TestStore } from './storeBackends.testkit.ts';
import { ClearPersonalDataError, StoreConflictError, StoreNotFoundError } from './storeErrors.ts';
import type { OrderVideoRecord } from '../../../src/core/evidence/record.ts';

/**
 * One suite, every backend: the EvidenceStore contract the routes rely on. PGlite always runs;
 * PostgreSQL runs when TEST_DATABASE_URL is set (each file gets its own schema). One store per
 * backend per file (PGlite takes seconds to open), emptied before every test.
 */
const hashOf = (c: string) => c.repeat(64);

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(backend.title('EvidenceStore contract'), () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(backend.name);
    }, 60_000);
    afterAll(async () => {
      await t?.dispose();
    });
    beforeEach(async () => {
      await t.reset();
    });

    describe('migrations', () => {
      it('are recorded once, and a second run applies nothing', async () => {
        const migrations = await loadMigrations();
        expect(await migrate(t.store.db, migrations)).toEqual([]);
        const { rows } = await t.store.db.query<{ version: number }>('SELECT version FROM schema_migrations');
        expect(rows.map((r) => Number(r.version))).toEqual(migrations.map((m) => m.version));
      });

      it('refuse an applied file that changed, and a database newer than the code', async () => {
        const migrations = await loadMigrations();
        const edited = migrations.map((m) => ({ ...m, checksum: 'f'.repeat(64) }));
        await expect(migrate(t.store.db, edited)).rejects.toThrow(/changed after it was applied/);
        await expect(migrate(t.store.db, [])).rejects.toThrow(/newer than this code/);
      });

      it('apply up to a version only, then the rest; a failing file leaves no trace', async () => {
        const base = await loadMigrations();
        const next = (version: number, sql: string) => ({
          version,
          name: `${version}_t.sql`,
          sql,
          checksum: sql,
        });
        const extra = [
          ...base,
          next(900, 'CREATE TABLE t900 (x int)'),
          next(901, 'CREATE TABLE t901 (x int)'),
        ];
        try {
          expect(await migrate(t.store.db, extra, { upTo: 900 })).toEqual([900]);
          expect(await migrate(t.store.db, extra)).toEqual([901]);
          const broken = [...extra, next(902, 'CREATE TABLE t902 (x int); SELECT no_such_function()')];
          await expect(migrate(t.store.db, broken)).rejects.toThrow();
          const { rows } = await t.store.db.query<{ t: string | null }>(
            "SELECT to_regclass('t902')::text AS t",
          );
          expect(rows[0]?.t).toBeNull();
          const versions = await t.store.db.query<{ v: number }>(
            'SELECT max(version) AS v FROM schema_migrations',
          );
          expect(Number(versions.rows[0]?.v)).toBe(901);
        } finally {
          await t.store.db.exec(
            'DROP TABLE IF EXISTS t900, t901; DELETE FROM schema_migrations WHERE version >= 900',
          );
        }
      });
    });

    describe('principals', () => {
      it('finds a principal by token hash only, and changes its role', async () => {
        await t.store.createPrincipal(
          { id: 'usr_1', kind: 'user', role: 'guide', name: 'Wang' },
          hashOf('a'),
        );
        await t.store.createPrincipal(
          { id: 'dev_1', kind: 'device', role: 'device', lane: 'L01', name: 'kiosk 1' },
          hashOf('b'),
        );
        expect(await t.store.findPrincipalByTokenHash(hashOf('a'))).toEqual({
          id: 'usr_1',
          kind: 'user',
          role: 'guide',
          name: 'Wang',
        });
        expect((await t.store.findPrincipalByTokenHash(hashOf('b')))?.lane).toBe('L01');
        expect(await t.store.findPrincipalByTokenHash(hashOf('c'))).toBeNull();
        await t.store.setRole('usr_1', 'lossPrevention');
        const all = await t.store.listPrincipals();
        expect(all.map((p) => [p.id, p.role])).toEqual([
          ['usr_1', 'lossPrevention'],
          ['dev_1', 'device'],
        ]);
      });

      it('refuses a reused token hash, a clear token, a device without a lane and an unknown id', async () => {
        await t.store.createPrincipal({ id: 'usr_1', kind: 'user', role: 'admin', name: 'A' }, hashOf('a'));
        await expect(
          t.store.createPrincipal({ id: 'usr_2', kind: 'user', role: 'admin', name: 'B' }, hashOf('a')),
        ).rejects.toBeInstanceOf(StoreConflictError);
        await expect(
          t.store.createPrincipal({ id: 'usr_3', kind: 'user', role: 'admin', name: 'C' }, 'clear-token'),
        ).rejects.toThrow(/SHA-256/);
        await expect(
          t.store.createPrincipal({ id: 'dev_9', kind: 'device', role: 'device', name: 'D' }, hashOf('d')),
        ).rejects.toThrow();
        await expect(t.store.setRole('nobody', 'admin')).rejects.toBeInstanceOf(StoreNotFoundError);
        expect((await t.store.listPrincipals()).map((p) => p.id)).toEqual(['usr_1']);
      });
    });

    describe('enrolment codes', () => {
      it('consumes a code once, and never an expired or unknown one', async () => {
        await t.store.createEnrolmentCode(hashOf('1'), 'L02', '2026-11-01T12:00:00.000Z');
        await t.store.createEnrolmentCode(hashOf('2'), 'L03', '2026-11-01T09:00:00.000Z');
        const now = '2026-11-01T10:00:00.000Z';
        expect(await t.store.consumeEnrolmentCode(hashOf('1'), now)).toBe('L02');
        expect(await t.store.consumeEnrolmentCode(hashOf('1'), now)).toBeNull();
        expect(await t.store.consumeEnrolmentCode(hashOf('2'), now)).toBeNull();
        expect(await t.store.consumeEnrolmentCode(hashOf('9'), now)).toBeNull();
      });

      it('lets exactly one of several simultaneous enrolments win', async () => {
        await t.store.createEnrolmentCode(hashOf('1'), 'L02', '2099-01-01T00:00:00.000Z');
        const results = await Promise.all(
          Array.from({ length: 6 }, () => t.store.consumeEnrolmentCode(hashOf('1'), '2026-11-01T10:00:00Z')),
        );
        expect(results.filter((r) => r === 'L02')).toHaveLength(1);
        expect(results.filter((r) => r === null)).toHaveLength(5);
      });
    });

    describe('records', () => {
      it('stores once; the same or an older recordedAt is unchanged; a newer one replaces', async () => {
        const r1 = sampleRecord();
        expect(await t.store.upsertRecord(r1, '2026-11-01T10:03:06.000Z')).toBe('stored');
        expect(await t.store.upsertRecord(r1, '2026-11-01T10:05:00.000Z')).toBe('unchanged');
        const older = sampleRecord({ recordedAt: '2026-11-01T10:03:00.000Z', total: 1 });
        expect(await t.store.upsertRecord(older, '2026-11-01T10:06:00.000Z')).toBe('unchanged');
        expect((await t.store.getRecord('T-0001'))?.record.total).toBe(400);

        const resealed = sampleRecord({ recordedAt: '2026-11-01T10:09:00.000Z', flagged: true });
        expect(await t.store.upsertRecord(resealed, '2026-11-01T10:09:01.000Z')).toBe('stored');
        const stored = await t.store.getRecord('T-0001');
        expect(stored?.record.recordedAt).toBe('2026-11-01T10:09:00.000Z');
        expect(stored?.record.flagged).toBe(true);
        // First arrival stays: retention age runs from it.
        expect(stored?.receivedAt).toBe('2026-11-01T10:03:06.000Z');
        expect(stored?.hold).toBe(false);
      });

      it('keeps a flag through a re-seal that drops it (only a reviewer resolves a flag)', async () => {
        await t.store.upsertRecord(sampleRecord({ flagged: true }), '2026-11-01T10:04:00.000Z');
        await t.store.upsertRecord(
          sampleRecord({ flagged: false, recordedAt: '2026-11-01T11:00:00.000Z' }),
          '2026-11-01T11:00:01.000Z',
        );
        expect((await t.store.getRecord('T-0001'))?.record.flagged).toBe(true);
        expect(await t.store.expiredRecords('2030-01-01T00:00:00.000Z', 10)).toEqual([]);
      });

      it('refuses the same txn from another lane', async () => {
        await t.store.upsertRecord(sampleRecord(), '2026-11-01T10:04:00.000Z');
        const other = sampleRecord({ lane: 'L09', recordedAt: '2026-11-01T11:00:00.000Z' });
        await expect(t.store.upsertRecord(other, '2026-11-01T11:00:00.000Z')).rejects.toBeInstanceOf(
          StoreConflictError,
        );
        expect((await t.store.getRecord('T-0001'))?.record.lane).toBe('L01');
      });

      it('refuses a record with a clear member or payment reference, and stores nothing', async () => {
        const clearField = { ...sampleRecord(), memberRef: '13800138000' } as OrderVideoRecord;
        await expect(t.store.upsertRecord(clearField, '2026-11-01T10:04:00.000Z')).rejects.toBeInstanceOf(
          ClearPersonalDataError,
        );
        const unmasked = sampleRecord({ paymentRefMasked: '6222021234567890123' });
        await expect(t.store.upsertRecord(unmasked, '2026-11-01T10:04:00.000Z')).rejects.toThrow(
          /paymentRefMasked/,
        );
        expect(await t.store.getRecord('T-0001')).toBeNull();
        const { rows } = await t.store.db.query<{ n: number | string }>('SELECT count(*) AS n FROM records');
        expect(Number(rows[0]?.n)).toBe(0);
      });

      it('lists by lane and start time, newest first, within the limit', async () => {
        const at = (h: number) => `2026-11-01T${String(h).padStart(2, '0')}:00:00.000Z`;
        for (const [txn, lane, h] of [
          ['A', 'L01', 8],
          ['B', 'L02', 9],
          ['C', 'L01', 10],
          ['D', 'L01', 11],
        ] as const) {
          await t.store.upsertRecord(sampleRecord({ txn, lane, startedAt: at(h), recordedAt: at(h) }), at(h));
        }
        const txns = async (q: Parameters<typeof t.store.listRecords>[0]) =>
          (await t.store.listRecords(q)).map((r) => r.record.txn);
        expect(await txns({ limit: 10 })).toEqual(['D', 'C', 'B', 'A']);
        expect(await txns({ lane: 'L01', limit: 10 })).toEqual(['D', 'C', 'A']);
        expect(await txns({ lane: 'L01', since: at(10), limit: 10 })).toEqual(['D', 'C']);
        expect(await txns({ limit: 2 })).toEqual(['D', 'C']);
      });

      it('attaches the clip the record declares, and refuses another or an unknown txn', async () => {
        const clip = {
          clipId: 'c1',
          mime: 'video/webm',
          bytes: 1234,
          sha256: fakeSha(1),
          startMs: 0,
          endMs: 1000,
          faceBlur: true,
          wrappedKey: 'AAAA',
          keyId: 'k1',
        };
        await t.store.upsertRecord(sampleRecord({ clip }), '2026-11-01T10:04:00.000Z');
        await expect(t.store.attachClip('T-0001', fakeSha(2), 10)).rejects.toBeInstanceOf(StoreConflictError);
        await t.store.attachClip('T-0001', fakeSha(1), 1234);
        const stored = await t.store.getRecord('T-0001');
        expect([stored?.clipSha256, stored?.clipBytes]).toEqual([fakeSha(1), 1234]);
        expect(await t.store.isClipReferenced(fakeSha(1))).toBe(true);
        await expect(t.store.attachClip('T-none', fakeSha(1), 1)).rejects.toBeInstanceOf(StoreNotFoundError);

        // A re-seal naming a new clip drops the old attachment: the new file has to arrive.
        const reClip = { ...clip, sha256: fakeSha(3) };
        await t.store.upsertRecord(
          sampleRecord({ clip: reClip, recordedAt: '2026-11-01T11:00:00.000Z' }),
          '2026-11-01T11:00:00.000Z',
        );
        expect((await t.store.getRecord('T-0001'))?.clipSha256).toBeUndefined();
        expect(await t.store.isClipReferenced(fakeSha(1))).toBe(false);
      });

      it('retention sees only unheld, unflagged-or-resolved records received before the cutoff', async () => {
        const put = (txn: string, receivedAt: string, flagged = false) =>
          t.store.upsertRecord(sampleRecord({ txn, flagged }), receivedAt);
        await put('old-plain', '2026-01-01T00:00:00.000Z');
        await put('old-held', '2026-01-02T00:00:00.000Z');
        await put('old-flagged', '2026-01-03T00:00:00.000Z', true);
        await put('old-resolved', '2026-01-04T00:00:00.000Z', true);
        await put('new-plain', '2026-06-01T00:00:00.000Z');
        await t.store.setHold('old-held', true);
        await t.store.setHold('old-resolved', false, '2026-02-01T00:00:00.000Z');
        const cutoff = '2026-03-01T00:00:00.000Z';
        const expired = await t.store.expiredRecords(cutoff, 10);
        expect(expired.map((r) => r.record.txn)).toEqual(['old-plain', 'old-resolved']);
        expect(expired[1]?.resolvedAt).toBe('2026-02-01T00:00:00.000Z');
        expect(await t.store.countKept(cutoff)).toBe(2);
        expect((await t.store.expiredRecords(cutoff, 1)).map((r) => r.record.txn)).toEqual(['old-plain']);

        await t.store.setHold('old-held', false);
        await t.store.deleteRecord('old-plain');
        await t.store.deleteRecord('old-plain'); // deleting twice is harmless
        expect((await t.store.expiredRecords(cutoff, 10)).map((r) => r.record.txn)).toEqual([
          'old-held',
          'old-resolved',
        ]);
        await expect(t.store.setHold('gone', true)).rejects.toBeInstanceOf(StoreNotFoundError);
      });
    });

    describe('audit log', () => {
      const entry = (n: number) => ({
        at: `2026-11-01T10:00:0${n}+08:00`,
        actor: 'usr_1',
        action: 'clip.view',
        target: `T-${n}`,
        detail: { z: n, a: { y: [1, 'two'], b: null } },
      });

      it('chains entries from genesis and gives them back exactly as hashed', async () => {
        const first = await t.store.appendAudit(entry(1));
        const second = await t.store.appendAudit(entry(2));
        expect(first.seq).toBe(1);
        expect(first.prevHash).toBe('0'.repeat(64));
        expect(second.prevHash).toBe(first.hash);
        // Times are normalised to UTC ISO on the way in, which is how they come back.
        expect(first.at).toBe('2026-11-01T02:00:01.000Z');
        const listed = await t.store.listAudit({ limit: 10 });
        expect(listed).toEqual([first, second]);
        expect(await t.store.listAudit({ sinceSeq: 1, limit: 10 })).toEqual([second]);
        expect(await verifyStoredAuditChain(t.store)).toEqual({
          ok: true,
          count: 2,
          head: { seq: 2, hash: second.hash },
        });
      });

      it('serialises simultaneous appends into one unbroken chain', async () => {
        await Promise.all(Array.from({ length: 20 }, (_, i) => t.store.appendAudit(entry(i % 10))));
        const all = await t.store.listAudit({ limit: 100 });
        expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect((await verifyStoredAuditChain(t.store, 7)).ok).toBe(true);
      });

      it('refuses to change or delete an entry, and the chain exposes a forged one', async () => {
        await t.store.appendAudit(entry(1));
        await t.store.appendAudit(entry(2));
        await expect(t.store.db.query("UPDATE audit SET actor = 'x' WHERE seq = 1")).rejects.toThrow(
          /append-only/,
        );
        await expect(t.store.db.query('DELETE FROM audit WHERE seq = 1')).rejects.toThrow(/append-only/);
        // Someone with the database's own rights gets around the trigger; the chain still tells.
        await t.store.db.exec(`
          ALTER TABLE audit DISABLE TRIGGER audit_append_only;
          UPDATE audit SET target = 'T-forged' WHERE seq = 1;
          ALTER TABLE audit ENABLE TRIGGER audit_append_only;`);
        expect(await verifyStoredAuditChain(t.store)).toMatchObject({ ok: false, brokenAt: 1 });
      });
    });
  });
}
