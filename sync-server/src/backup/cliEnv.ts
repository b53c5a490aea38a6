import path from 'node:path';
import { FileBlobStore } from '../store/fileBlobStore.ts';
import { openStoreDb } from '../store/openEvidenceStore.ts';
import { SqlEvidenceStore } from '../store/sqlEvidenceStore.ts';

/**
 * What the backup and restore commands open, from the same environment as the server: DATA_DIR
 * (default ./data: PGlite in DATA_DIR/db, clips in DATA_DIR/blobs) and DATABASE_URL (PostgreSQL
 * instead of PGlite; DATABASE_SCHEMA picks a schema). The schema is not migrated here: a backup must
 * not change what it copies, and restore migrates to the backup's version itself.
 */
export async function openFromEnv(env: NodeJS.ProcessEnv) {
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  const db = await openStoreDb({
    dataDir,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {}),
  });
  return {
    dataDir,
    store: new SqlEvidenceStore(db),
    blobs: new FileBlobStore(path.join(dataDir, 'blobs')),
    where: env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${path.join(dataDir, 'db')}`,
  };
}
