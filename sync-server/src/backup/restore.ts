import path from 'node:path';
import { parseArgs } from 'node:util';
import { openFromEnv } from './cliEnv.ts';
import { restoreBackup } from './restoreBackup.ts';

/**
 * node --import tsx sync-server/src/backup/restore.ts --in FILE [--force]
 * Verifies every hash in FILE, then restores it into the store named by DATA_DIR / DATABASE_URL.
 * Refuses a non-empty store (or an archive with a broken audit chain) unless --force. Exit 0: done
 * and the audit chain verifies; 1: refused or failed.
 */
const { values } = parseArgs({
  options: { in: { type: 'string' }, force: { type: 'boolean', default: false } },
});
if (!values.in) {
  console.error('usage: restore.ts --in FILE [--force]   (env: DATA_DIR, DATABASE_URL)');
  process.exit(64);
}
try {
  const { store, blobs, dataDir, where } = await openFromEnv(process.env);
  try {
    const r = await restoreBackup({
      store,
      blobs,
      file: values.in,
      tempDir: path.join(dataDir, 'tmp'),
      force: values.force,
    });
    const rows = Object.entries(r.rows).map(([name, n]) => `${name} ${n}`);
    console.log(`restored ${values.in} into ${where}`);
    console.log(`  schema ${r.schemaVersion}; rows: ${rows.join(', ')}`);
    console.log(
      `  clips: ${r.clipsWritten} written, ${r.clipsAlreadyPresent} already present, ` +
        `${r.clipsSkipped} skipped (corrupt in backup), ${r.clipsRemoved} removed`,
    );
    console.log(
      `  audit chain: ${r.audit.ok ? `verifies, ${r.audit.count} entries` : `BROKEN at seq ${r.audit.brokenAt}`}`,
    );
  } finally {
    await store.close();
  }
} catch (err) {
  console.error(`restore failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
