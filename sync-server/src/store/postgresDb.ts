import pg from 'pg';
import type { Db, Queryable } from './db.ts';

/**
 * PostgreSQL through a pg Pool, for chains that run a database server (DATABASE_URL). An optional
 * schema puts every table in its own namespace (created if missing) via the connection's
 * search_path; the tests use it to give each test file a fresh, independent schema.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresOptions {
  schema?: string;
  /** Pool size; the store needs few connections (default 5). */
  max?: number;
}

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await client.query(sql, params);
      return { rows: result.rows as T[] };
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple protocol, which accepts several statements.
      await client.query(sql);
    },
  };
}

export async function openPostgresDb(url: string, opts: PostgresOptions = {}): Promise<Db> {
  const { schema } = opts;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`schema must match ${SCHEMA_NAME} (got "${schema}")`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 5,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    else await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    throw err;
  }
  const outer = wrap(pool);
  let closed = false;
  return {
    kind: 'postgres',
    query: outer.query,
    exec: outer.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
