import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db, Queryable } from './db.ts';

/**
 * PGlite (PostgreSQL compiled to WASM, in this process) on a data directory: the default backend, so
 * a store runs with no database server. Only one PGlite may have a data directory open at a time
 * (two would corrupt it, and PGlite does not check), so opening takes a lock file beside the
 * directory; a backup or restore run while the server holds the directory is refused, not harmful.
 */
export class DbLockedError extends Error {
  constructor(lockFile: string, pid: number) {
    super(
      `${lockFile}: the database is open in another process (pid ${pid}); stop the server first, ` +
        `or delete the lock file if that process is gone`,
    );
    this.name = 'DbLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function takeLock(lockFile: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await fs.readFile(lockFile, 'utf8').catch(() => '')).trim());
      // Our own pid counts as taken: a second PGlite in this process would corrupt the directory too.
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new DbLockedError(lockFile, pid);
      await fs.rm(lockFile, { force: true }); // left by a process that died; take it over
    }
  }
  throw new Error(`${lockFile}: could not take the database lock`);
}

function wrap(q: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await q.query<T>(sql, params);
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  };
}

export async function openPgliteDb(dataDir: string): Promise<Db> {
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  const lockFile = `${dataDir}.lock`;
  await takeLock(lockFile);
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir);
  } catch (err) {
    await fs.rm(lockFile, { force: true });
    throw err;
  }
  const outer = wrap(pg);
  let closed = false;
  return {
    kind: 'pglite',
    query: outer.query,
    exec: outer.exec,
    // PGlite serialises transactions itself: other queries wait until this one ends.
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pg.close();
      } finally {
        await fs.rm(lockFile, { force: true });
      }
    },
  };
}
