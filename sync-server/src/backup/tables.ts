import type { Queryable } from '../store/db.ts';

/**
 * The tables a backup carries, in restore order, and how their rows travel: as PostgreSQL's own
 * JSON for a row (row_to_json) and back through json_populate_recordset. Both backends speak it, so
 * a backup from PostgreSQL restores into PGlite and the other way round, with every type (timestamps
 * to the microsecond, jsonb, bigint) intact. schema_migrations is not copied: the manifest records
 * the schema version, and restore migrates the target to it.
 */
export const TABLES = [
  { name: 'principals', key: 'id', keyType: 'text' },
  { name: 'enrolment_codes', key: 'code_hash', keyType: 'text' },
  { name: 'records', key: 'txn', keyType: 'text' },
  { name: 'audit', key: 'seq', keyType: 'bigint' },
  // Added by migration 002; a backup taken at schema 1 simply has no rows for it.
  { name: 'lane_zones', key: 'lane', keyType: 'text' },
] as const;

export type TableName = (typeof TABLES)[number]['name'];
export const TABLE_NAMES: readonly string[] = TABLES.map((t) => t.name);
export const ROWS_PER_PART = 500;

/** Yields a table's rows as JSON text, page by page in key order. */
export async function* exportRows(q: Queryable, table: (typeof TABLES)[number]): AsyncGenerator<string[]> {
  // A store not yet migrated by the new server (backups never migrate) lacks the newer tables.
  if (!(await presentTables(q)).includes(table)) return;
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: { j: string; k: string }[] } = await q.query<{ j: string; k: string }>(
      `SELECT row_to_json(t)::text AS j, t.${table.key}::text AS k FROM ${table.name} t
       WHERE $1::text IS NULL OR t.${table.key} > $1::${table.keyType}
       ORDER BY t.${table.key} LIMIT $2`,
      [after, ROWS_PER_PART],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => r.j);
    after = rows[rows.length - 1]?.k ?? null;
    if (rows.length < ROWS_PER_PART) return;
  }
}

/** Inserts rows given as row_to_json text; returns how many went in. */
export async function importRows(
  q: Queryable,
  table: TableName,
  rowsJson: readonly string[],
): Promise<number> {
  const { rows } = await q.query<{ n: number | string }>(
    `WITH ins AS (INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json) RETURNING 1)
     SELECT count(*) AS n FROM ins`,
    [`[${rowsJson.join(',')}]`],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * The tables that exist in this database: restore first migrates an empty target only up to the
 * backup's schema, which may predate later tables.
 */
async function presentTables(q: Queryable): Promise<(typeof TABLES)[number][]> {
  const present: (typeof TABLES)[number][] = [];
  for (const t of TABLES) {
    const { rows } = await q.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [t.name]);
    if (rows[0]?.ok) present.push(t);
  }
  return present;
}

export async function countRows(q: Queryable): Promise<Record<TableName, number>> {
  const counts = Object.fromEntries(TABLE_NAMES.map((n) => [n, 0])) as Record<TableName, number>;
  for (const t of await presentTables(q)) {
    const { rows } = await q.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${t.name}`);
    counts[t.name] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

export async function truncateAll(q: Queryable): Promise<void> {
  const names = (await presentTables(q)).map((t) => t.name);
  if (names.length > 0) await q.exec(`TRUNCATE ${names.join(', ')}`);
}
