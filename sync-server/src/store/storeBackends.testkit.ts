import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openEvidenceStore } from './openEvidenceStore.ts';
import type { SqlEvidenceStore } from './sqlEvidenceStore.ts';

/**
 * The backends a store test runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. Each
 * opened store is fresh: PGlite gets a new temp data dir, PostgreSQL a new schema (dropped again by
 * `dispose`), so test files never see each other's rows and runs are independent.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const PG_SKIP_MESSAGE = 'PostgreSQL tests skipped: set TEST_DATABASE_URL';

export interface TestBackend {
  name: 'pglite' | 'postgres';
  /** True when the backend cannot run here (PostgreSQL without TEST_DATABASE_URL). */
  skip: boolean;
  /** Suite title: names the backend, or explains the skip. */
  title(suite: string): string;
}

export const BACKENDS: TestBackend[] = [
  { name: 'pglite', skip: false, title: (suite) => `${suite} (PGlite)` },
  {
    name: 'postgres',
    skip: !TEST_DATABASE_URL,
    title: (suite) => (TEST_DATABASE_URL ? `${suite} (PostgreSQL)` : `${suite}: ${PG_SKIP_MESSAGE}`),
  },
];

export interface TestStore {
  store: SqlEvidenceStore;
  dataDir: string;
  /** Empties every table (keeps the schema), for the next test. */
  reset(): Promise<void>;
  /** Closes the store and removes its data dir / schema. */
  dispose(): Promise<void>;
}

export async function makeTempDir(label: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `lane-${label}-`));
}

export async function openTestStore(backend: TestBackend['name']): Promise<TestStore> {
  const dataDir = await makeTempDir('store');
  const schema = backend === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const store = await openEvidenceStore({
    dataDir,
    ...(backend === 'postgres' ? { databaseUrl: TEST_DATABASE_URL, schema } : {}),
  });
  return {
    store,
    dataDir,
    reset: () => store.db.exec('TRUNCATE principals, enrolment_codes, records, audit, lane_zones'),
    async dispose() {
      await store.close();
      if (schema) await dropSchema(schema);
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
