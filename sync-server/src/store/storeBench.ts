import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openEvidenceStore } from './openEvidenceStore.ts';
import { sampleRecord } from './sampleRecord.testkit.ts';
import type { SqlEvidenceStore } from './sqlEvidenceStore.ts';

/**
 * Measures the figures quoted in docs/storage.md:
 *   node --import tsx sync-server/src/store/storeBench.ts [N]
 * PGlite always (in a temp dir); PostgreSQL too when BENCH_DATABASE_URL is set (in a temp schema,
 * dropped afterwards). Operations run one after another, as the server issues them per request.
 */
const N = Number(process.argv[2] ?? 1000);

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await fn();
  return [result, performance.now() - t0];
}

async function workload(store: SqlEvidenceStore, label: string): Promise<void> {
  const base = Date.parse('2026-11-01T00:00:00.000Z');
  const [, insertMs] = await time(async () => {
    for (let i = 0; i < N; i++) {
      const at = new Date(base + i * 60_000).toISOString();
      await store.upsertRecord(sampleRecord({ txn: `B-${i}`, startedAt: at, recordedAt: at }), at);
    }
  });
  const [, auditMs] = await time(async () => {
    for (let i = 0; i < N; i++) {
      await store.appendAudit({
        at: new Date().toISOString(),
        actor: 'bench',
        action: 'x',
        target: `B-${i}`,
        detail: { i },
      });
    }
  });
  const [, listMs] = await time(() => store.listRecords({ lane: 'L01', limit: 100 }));
  const [, expiredMs] = await time(() => store.expiredRecords('2027-01-01T00:00:00.000Z', 200));
  const perSec = (ms: number) => Math.round((N * 1000) / ms);
  console.log(
    `${label}: upsertRecord ${(insertMs / N).toFixed(2)} ms each (${perSec(insertMs)}/s); ` +
      `appendAudit ${(auditMs / N).toFixed(2)} ms each (${perSec(auditMs)}/s); ` +
      `listRecords(100) ${listMs.toFixed(1)} ms; expiredRecords(200) ${expiredMs.toFixed(1)} ms`,
  );
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lane-bench-'));
try {
  const [fresh, newMs] = await time(() => openEvidenceStore({ dataDir: dir }));
  await workload(fresh, `PGlite, ${N} records`);
  await fresh.close();
  const [again, reopenMs] = await time(() => openEvidenceStore({ dataDir: dir }));
  await again.close();
  console.log(`PGlite open+migrate: new data dir ${newMs.toFixed(0)} ms; existing ${reopenMs.toFixed(0)} ms`);

  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const [store, openMs] = await time(() => openEvidenceStore({ dataDir: dir, databaseUrl: url, schema }));
    console.log(`PostgreSQL open+migrate (new schema): ${openMs.toFixed(0)} ms`);
    await workload(store, `PostgreSQL, ${N} records`);
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  }
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}
