import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

/**
 * The backup container: one file, readable with nothing but this module (or a text editor for the
 * headers). Layout:
 *
 *   LANE-COMPANION-BACKUP 1\n
 *   <entry header: one line of JSON>\n<exactly header.bytes bytes of body>\n
 *   ... more entries ...
 *   the manifest entry, always last
 *
 * Every header carries its body's size and SHA-256, so each entry is checked on its own and a
 * truncated file is caught by the missing manifest. The writer builds FILE.partial and renames it
 * to FILE only when complete and flushed.
 */
export const MAGIC = 'LANE-COMPANION-BACKUP 1\n';
const MAX_HEADER = 4096;
const CHUNK = 1 << 20;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const TABLE_NAME = /^[a-z_]{1,40}$/;

export type EntryHeader =
  | { kind: 'rows'; table: string; part: number; rows: number; bytes: number; sha256: string }
  | { kind: 'blob'; bytes: number; sha256: string }
  | { kind: 'manifest'; bytes: number; sha256: string };

/** A header before its body is known: the writer fills in size and hash. */
export type HeaderFields = EntryHeader extends infer H
  ? H extends unknown
    ? Omit<H, 'bytes' | 'sha256'>
    : never
  : never;

export interface Entry {
  header: EntryHeader;
  /** Where the body starts in the file. */
  offset: number;
}

export class ArchiveFormatError extends Error {
  override name = 'ArchiveFormatError';
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function parseHeader(line: string, at: number): EntryHeader {
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new ArchiveFormatError(`byte ${at}: entry header is not JSON`);
  }
  const ok =
    isCount(h.bytes) &&
    typeof h.sha256 === 'string' &&
    SHA256_HEX.test(h.sha256) &&
    (h.kind === 'blob' ||
      h.kind === 'manifest' ||
      (h.kind === 'rows' &&
        typeof h.table === 'string' &&
        TABLE_NAME.test(h.table) &&
        isCount(h.part) &&
        isCount(h.rows)));
  if (!ok) throw new ArchiveFormatError(`byte ${at}: malformed entry header`);
  return h as unknown as EntryHeader;
}

export const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export class ArchiveWriter {
  private position = 0;

  private constructor(
    private readonly fh: fs.FileHandle,
    private readonly file: string,
  ) {}

  /** Refuses to overwrite an existing backup. */
  static async create(file: string): Promise<ArchiveWriter> {
    if (
      await fs.stat(file).then(
        () => true,
        () => false,
      )
    )
      throw new Error(`${file} already exists`);
    const writer = new ArchiveWriter(await fs.open(`${file}.partial`, 'w'), file);
    await writer.write(Buffer.from(MAGIC));
    return writer;
  }

  private async write(data: Buffer): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.fh.write(data, done, data.length - done, this.position + done);
      done += bytesWritten;
    }
    this.position += data.length;
  }

  async addBuffer(header: HeaderFields, body: Buffer): Promise<{ sha256: string }> {
    const sha256 = sha256Hex(body);
    await this.write(Buffer.from(`${JSON.stringify({ ...header, bytes: body.length, sha256 })}\n`));
    await this.write(body);
    await this.write(Buffer.from('\n'));
    return { sha256 };
  }

  /**
   * Copies a blob file of `bytes` bytes under its expected hash; returns the hash it really has, so
   * the caller can mark a blob that did not match its name (restore then skips it).
   */
  async addFile(expectedSha256: string, source: string, bytes: number): Promise<string> {
    await this.write(Buffer.from(`${JSON.stringify({ kind: 'blob', bytes, sha256: expectedSha256 })}\n`));
    const hash = createHash('sha256');
    const src = await fs.open(source, 'r');
    try {
      const buf = Buffer.alloc(CHUNK);
      for (let copied = 0; copied < bytes;) {
        const { bytesRead } = await src.read(buf, 0, Math.min(CHUNK, bytes - copied), copied);
        if (bytesRead === 0) throw new Error(`${source} shrank while being backed up`);
        const chunk = buf.subarray(0, bytesRead);
        hash.update(chunk);
        await this.write(chunk);
        copied += bytesRead;
      }
    } finally {
      await src.close();
    }
    await this.write(Buffer.from('\n'));
    return hash.digest('hex');
  }

  async finish(): Promise<void> {
    await this.fh.sync();
    await this.fh.close();
    await fs.rename(`${this.file}.partial`, this.file);
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await fs.rm(`${this.file}.partial`, { force: true });
  }
}

export class ArchiveReader {
  private constructor(
    private readonly fh: fs.FileHandle,
    readonly size: number,
  ) {}

  static async open(file: string): Promise<ArchiveReader> {
    const fh = await fs.open(file, 'r');
    const reader = new ArchiveReader(fh, (await fh.stat()).size);
    const magic = await reader.readAt(0, MAGIC.length);
    if (magic.toString('latin1') !== MAGIC) {
      await fh.close();
      throw new ArchiveFormatError(`${file} is not a lane-companion backup (or a newer format)`);
    }
    return reader;
  }

  private async readAt(position: number, length: number): Promise<Buffer> {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(buf, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buf.subarray(0, done);
  }

  /** Walks the entries' headers, checking that every body is complete and newline-terminated. */
  async *entries(): AsyncGenerator<Entry> {
    let position = MAGIC.length;
    while (position < this.size) {
      const head = await this.readAt(position, MAX_HEADER);
      const newline = head.indexOf(0x0a);
      if (newline < 0) throw new ArchiveFormatError(`byte ${position}: entry header missing or too long`);
      const header = parseHeader(head.subarray(0, newline).toString('utf8'), position);
      const offset = position + newline + 1;
      const end = offset + header.bytes;
      if (end + 1 > this.size)
        throw new ArchiveFormatError(`byte ${position}: entry runs past the end (truncated?)`);
      const terminator = await this.readAt(end, 1);
      if (terminator[0] !== 0x0a) throw new ArchiveFormatError(`byte ${end}: entry not terminated`);
      yield { header, offset };
      position = end + 1;
    }
  }

  async readBody(entry: Entry): Promise<Buffer> {
    return this.readAt(entry.offset, entry.header.bytes);
  }

  /** Hashes a body in chunks, handing each chunk to `sink` (e.g. a file being restored). */
  async hashBody(entry: Entry, sink?: (chunk: Buffer) => Promise<void>): Promise<string> {
    const hash = createHash('sha256');
    for (let done = 0; done < entry.header.bytes;) {
      const chunk = await this.readAt(entry.offset + done, Math.min(CHUNK, entry.header.bytes - done));
      hash.update(chunk);
      if (sink) await sink(chunk);
      done += chunk.length;
    }
    return hash.digest('hex');
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
