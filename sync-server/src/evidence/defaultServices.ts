import fs from 'node:fs/promises';
import path from 'node:path';
import type { ServerConfig } from '../config.ts';
import { loadServerKeys } from '../keys/serverKeys.ts';
import { FileBlobStore } from '../store/fileBlobStore.ts';
import { openEvidenceStore } from '../store/openEvidenceStore.ts';
import { runRetention } from '../store/retentionJob.ts';
import type { EvidenceServices } from './services.ts';

/** Free space for unprivileged writers on the data directory's filesystem. */
async function freeBytes(dir: string): Promise<number> {
  const st = await fs.statfs(dir);
  return st.bavail * st.bsize;
}

/**
 * The real services over DATA_DIR: the key pair in keys/, the database (embedded PGlite in db/, or
 * PostgreSQL from DATABASE_URL), clip files in blobs/ and partial uploads in uploads/.
 */
export async function openDefaultServices(config: ServerConfig): Promise<EvidenceServices> {
  const keys = await loadServerKeys(path.join(config.dataDir, 'keys'), config.keyPassphrase);
  const store = await openEvidenceStore({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
  });
  const blobs = new FileBlobStore(path.join(config.dataDir, 'blobs'));
  return {
    store,
    blobs,
    keys,
    uploadsDir: path.join(config.dataDir, 'uploads'),
    // Default rules (90 days; emergency below 5 GiB free): src/core/retention/serverRetention.ts.
    runRetention: () => runRetention(store, blobs, {}, new Date(), () => freeBytes(config.dataDir)),
    close: () => store.close(),
  };
}
