import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from './evidenceStore.ts';

/**
 * Clip files, content-addressed: DATA_DIR/blobs/ab/abcdef... (the file's SHA-256, hex). The files
 * are the kiosk's encrypted clips (AES-GCM with a per-clip key wrapped for the server), so what lies
 * here is encrypted at rest; this store neither encrypts nor decrypts.
 *
 * A file appears under its final name only complete and flushed: it is fsynced, renamed into place
 * (atomic within one filesystem) and the directory fsynced. When the temp file is on another
 * filesystem (EXDEV) it is copied to a temp name beside its destination first, then renamed.
 */
const SHA256_HEX = /^[0-9a-f]{64}$/;
const PREFIX_DIR = /^[0-9a-f]{2}$/;

function checkHash(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new Error('a blob name must be a lowercase SHA-256 hex digest');
}

async function fsyncPath(p: string, mode: 'r' | 'r+'): Promise<void> {
  const fh = await fs.open(p, mode);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
}

export class FileBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  path(sha256: string): string {
    checkHash(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Moves `tempPath` in as `sha256`. The caller has verified the hash. Already stored: the temp file goes. */
  async putFile(tempPath: string, sha256: string): Promise<void> {
    const dest = this.path(sha256);
    const dir = path.dirname(dest);
    if (await exists(dest)) {
      await fs.rm(tempPath, { force: true });
      return;
    }
    await fs.mkdir(dir, { recursive: true });
    try {
      await fsyncPath(tempPath, 'r+');
      await fs.rename(tempPath, dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      const staging = path.join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await fs.copyFile(tempPath, staging);
        await fsyncPath(staging, 'r+');
        await fs.rename(staging, dest);
      } catch (copyErr) {
        await fs.rm(staging, { force: true });
        throw copyErr;
      }
      await fs.rm(tempPath, { force: true });
    }
    await fsyncPath(dir, 'r');
  }

  has(sha256: string): Promise<boolean> {
    return exists(this.path(sha256));
  }

  async remove(sha256: string): Promise<void> {
    const p = this.path(sha256);
    await fs.rm(p, { force: true });
    // Tidy the prefix directory once empty; another put may have refilled it, which is fine.
    await fs.rmdir(path.dirname(p)).catch(() => undefined);
  }

  /** Every stored hash (temp files skipped), in no particular order. */
  async *list(): AsyncGenerator<string> {
    const prefixes = await fs.readdir(this.root).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    for (const prefix of prefixes.sort()) {
      if (!PREFIX_DIR.test(prefix)) continue;
      const names = await fs.readdir(path.join(this.root, prefix)).catch(() => [] as string[]);
      for (const name of names.sort()) {
        if (SHA256_HEX.test(name) && name.startsWith(prefix)) yield name;
      }
    }
  }

  async usage(): Promise<{ files: number; bytes: number }> {
    let files = 0;
    let bytes = 0;
    for await (const sha256 of this.list()) {
      const st = await fs.stat(this.path(sha256)).catch(() => null);
      if (!st) continue; // removed meanwhile
      files++;
      bytes += st.size;
    }
    return { files, bytes };
  }
}
