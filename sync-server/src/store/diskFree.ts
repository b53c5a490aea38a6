import fs from 'node:fs/promises';

/** Bytes available to this (unprivileged) process on the filesystem holding `dir`, for runRetention. */
export async function diskFreeBytes(dir: string): Promise<number> {
  const st = await fs.statfs(dir);
  return st.bavail * st.bsize;
}
