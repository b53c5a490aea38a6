import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from './migrate.ts';
import { makeTempDir } from './storeBackends.testkit.ts';

describe('loadMigrations', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads the shipped migrations in version order, starting with 001_init.sql', async () => {
    const migrations = await loadMigrations();
    expect(migrations[0]?.name).toBe('001_init.sql');
    expect(migrations[0]?.sql).toContain('CREATE TABLE records');
    expect(migrations[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('orders by number, not by name, and refuses badly named or duplicate versions', async () => {
    dir = await makeTempDir('migrations');
    await fs.writeFile(path.join(dir, '010_later.sql'), 'SELECT 10');
    await fs.writeFile(path.join(dir, '002_first.sql'), 'SELECT 2');
    await fs.writeFile(path.join(dir, 'README.md'), 'not a migration');
    expect((await loadMigrations(dir)).map((m) => m.version)).toEqual([2, 10]);

    await fs.writeFile(path.join(dir, '002_again.sql'), 'SELECT 2');
    await expect(loadMigrations(dir)).rejects.toThrow(/two migrations have version 2/);
    await fs.rm(path.join(dir, '002_again.sql'));
    await fs.writeFile(path.join(dir, 'add-users.sql'), 'SELECT 1');
    await expect(loadMigrations(dir)).rejects.toThrow(/NNN_name\.sql/);
  });
});
