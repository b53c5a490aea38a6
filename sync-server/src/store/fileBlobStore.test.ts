import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileBlobStore } from './fileBlobStore.ts';
import { makeTempDir } from './storeBackends.testkit.ts';

const sha = (data: string) => createHash('sha256').update(data).digest('hex');

describe('FileBlobStore', () => {
  let dir = '';
  let blobs: FileBlobStore;
  const temp = async (name: string, data: string) => {
    const p = path.join(dir, name);
    await fs.writeFile(p, data);
    return p;
  };

  beforeEach(async () => {
    dir = await makeTempDir('blobs');
    blobs = new FileBlobStore(path.join(dir, 'blobs'));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('moves a file in under blobs/ab/abcd... and counts it', async () => {
    const h = sha('clip one');
    const tmp = await temp('upload-1', 'clip one');
    await blobs.putFile(tmp, h);
    expect(blobs.path(h)).toBe(path.join(dir, 'blobs', h.slice(0, 2), h));
    expect(await fs.readFile(blobs.path(h), 'utf8')).toBe('clip one');
    await expect(fs.stat(tmp)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await blobs.has(h)).toBe(true);
    expect(await blobs.usage()).toEqual({ files: 1, bytes: 8 });
  });

  it('is idempotent: storing the same hash again keeps the first file and drops the new temp', async () => {
    const h = sha('same');
    await blobs.putFile(await temp('a', 'same'), h);
    const again = await temp('b', 'same');
    await blobs.putFile(again, h);
    await expect(fs.stat(again)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await blobs.usage()).toEqual({ files: 1, bytes: 4 });
  });

  it('copies, syncs and renames when the temp file is on another filesystem (EXDEV)', async () => {
    const h = sha('far away');
    const tmp = await temp('far', 'far away');
    const realRename = fs.rename;
    const rename = vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      if (from === tmp) throw Object.assign(new Error('cross-device link'), { code: 'EXDEV' });
      return realRename(from, to);
    });
    await blobs.putFile(tmp, h);
    expect(rename).toHaveBeenCalledTimes(2); // the refused move, then staging → final
    expect(await fs.readFile(blobs.path(h), 'utf8')).toBe('far away');
    await expect(fs.stat(tmp)).rejects.toMatchObject({ code: 'ENOENT' });
    // No staging file left beside it.
    expect(await fs.readdir(path.dirname(blobs.path(h)))).toEqual([h]);
  });

  it('lists and removes blobs, ignoring stray temp files, and refuses non-hash names', async () => {
    const a = sha('a');
    const b = sha('bb');
    await blobs.putFile(await temp('a', 'a'), a);
    await blobs.putFile(await temp('b', 'bb'), b);
    await fs.writeFile(path.join(path.dirname(blobs.path(a)), `.${a}.123.tmp`), 'partial');
    const listed: string[] = [];
    for await (const h of blobs.list()) listed.push(h);
    expect(listed.sort()).toEqual([a, b].sort());
    expect(await blobs.usage()).toEqual({ files: 2, bytes: 3 });
    await blobs.remove(b);
    await blobs.remove(b);
    expect(await blobs.has(b)).toBe(false);
    expect(await blobs.usage()).toEqual({ files: 1, bytes: 1 });
    expect(() => blobs.path('../../etc/passwd')).toThrow(/SHA-256/);
  });

  it('reports an empty store before anything was written', async () => {
    expect(await blobs.usage()).toEqual({ files: 0, bytes: 0 });
  });
});
