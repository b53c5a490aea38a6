import { parseArgs } from 'node:util';
import { createBackup } from './createBackup.ts';
import { openFromEnv } from './cliEnv.ts';

/**
 * node --import tsx sync-server/src/backup/backup.ts --out FILE
 * Backs up the store named by DATA_DIR / DATABASE_URL into FILE (refuses to overwrite it).
 * Exit 0: done; 2: written, but with problems to look at (missing or corrupt clips, broken audit
 * chain); 1: failed, nothing written. With PGlite, stop the server first.
 */
const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  console.error('usage: backup.ts --out FILE   (env: DATA_DIR, DATABASE_URL)');
  process.exit(64);
}
try {
  const { store, blobs, where } = await openFromEnv(process.env);
  try {
    const m = await createBackup({ store, blobs, file: values.out });
    const rows = Object.entries(m.tables).map(([name, t]) => `${name} ${t.rows}`);
    const bytes = m.blobs.reduce((sum, b) => sum + b.bytes, 0);
    console.log(`backed up ${where} to ${values.out}`);
    console.log(
      `  schema ${m.schemaVersion}; rows: ${rows.join(', ')}; clips: ${m.blobs.length} (${bytes} bytes)`,
    );
    console.log(`  audit chain: ${m.audit.chain.ok ? `intact, ${m.audit.entries} entries` : 'BROKEN'}`);
    for (const p of m.problems) console.log(`  problem: ${p}`);
    process.exitCode = m.problems.length > 0 ? 2 : 0;
  } finally {
    await store.close();
  }
} catch (err) {
  console.error(`backup failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
