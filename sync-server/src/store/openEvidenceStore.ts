import path from 'node:path';
import type { Db } from './db.ts';
import { openPgliteDb } from './pgliteDb.ts';
import { openPostgresDb } from './postgresDb.ts';
import { SqlEvidenceStore } from './sqlEvidenceStore.ts';

export interface OpenStoreOptions {
  /** The server's DATA_DIR; the embedded database lives in DATA_DIR/db. */
  dataDir: string;
  /** PostgreSQL connection URL (DATABASE_URL). When set, PostgreSQL is used instead of PGlite. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (created if missing); default: the server's search_path. */
  schema?: string;
}

/** Opens the database behind the store, without touching its schema (backup and restore use this). */
export async function openStoreDb(opts: OpenStoreOptions): Promise<Db> {
  return opts.databaseUrl
    ? openPostgresDb(opts.databaseUrl, opts.schema === undefined ? {} : { schema: opts.schema })
    : openPgliteDb(path.join(opts.dataDir, 'db'));
}

/** Opens the evidence store and brings its schema up to date. The caller closes it. */
export async function openEvidenceStore(opts: OpenStoreOptions): Promise<SqlEvidenceStore> {
  const store = new SqlEvidenceStore(await openStoreDb(opts));
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
