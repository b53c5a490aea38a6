import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.ts';

/**
 * Versioned SQL migrations from sync-server/migrations (NNN_name.sql), applied in order, each in its
 * own transaction together with its row in schema_migrations, so a failed file leaves nothing
 * behind and a rerun is a no-op. A transaction-scoped advisory lock serialises servers that start
 * at the same time against one PostgreSQL. An applied file whose content changed is refused: the
 * databases already migrated would silently differ from new ones.
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
/** Arbitrary, fixed key for pg_advisory_xact_lock; only has to differ from the audit lock's key. */
const MIGRATION_LOCK = 7_310_001;
const FILE_NAME = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const file of await fs.readdir(dir)) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationError(`${file}: migration files are named NNN_name.sql`);
    const sql = await fs.readFile(path.join(dir, file), 'utf8');
    migrations.push({
      version: Number(match[1]),
      name: file,
      sql,
      checksum: createHash('sha256').update(sql, 'utf8').digest('hex'),
    });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]?.version === migrations[i - 1]?.version) {
      throw new MigrationError(`two migrations have version ${migrations[i]?.version}`);
    }
  }
  return migrations;
}

interface AppliedRow {
  version: number | string;
  name: string;
  checksum: string;
}

async function appliedMigrations(q: Queryable): Promise<Map<number, AppliedRow>> {
  const { rows } = await q.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations');
  return new Map(rows.map((r) => [Number(r.version), r]));
}

/** The highest applied version, or 0 for an empty database. */
export async function schemaVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ exists: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS exists",
  );
  if (!rows[0]?.exists) return 0;
  const max = await db.query<{ v: number | string | null }>(
    'SELECT max(version) AS v FROM schema_migrations',
  );
  return Number(max.rows[0]?.v ?? 0);
}

/**
 * Applies every migration not yet applied, up to `upTo` (restore uses it to load a backup into the
 * schema it was taken from). Returns the versions applied by this call.
 */
export async function migrate(
  db: Db,
  migrations: Migration[],
  opts: { upTo?: number } = {},
): Promise<number[]> {
  const upTo = opts.upTo ?? Infinity;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const [version, row] of await appliedMigrations(db)) {
    const m = known.get(version);
    if (!m) {
      throw new MigrationError(
        `the database has migration ${version} (${row.name}), which this server does not know: it is newer than this code`,
      );
    }
    if (m.checksum !== row.checksum) {
      throw new MigrationError(`${m.name} changed after it was applied; add a new migration instead`);
    }
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version > upTo) break;
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      // Another server may have applied it while we waited for the lock.
      if ((await appliedMigrations(tx)).has(m.version)) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
