/**
 * The little SQL surface the store needs, so one implementation (SqlEvidenceStore) runs on both the
 * embedded PGlite and a PostgreSQL server. Parameters are positional ($1, $2, ...). Adapters:
 * pgliteDb.ts and postgresDb.ts.
 */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs a script of several statements (no parameters), e.g. a migration file. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The SQLSTATE of a unique-constraint violation; both backends report it as `code`. */
export const UNIQUE_VIOLATION = '23505';

export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
