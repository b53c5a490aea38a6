import { verifyAuditChain, type ChainCheck } from '../store/auditChain.ts';
import { sha256Hex, type ArchiveReader, type Entry } from './archive.ts';
import { auditRowToEntry, type BackupManifest } from './manifest.ts';
import { TABLE_NAMES, TABLES, type TableName } from './tables.ts';

/**
 * Restore's first pass: reads the whole archive and checks, before anything is written, that every
 * entry's body matches its SHA-256, that the manifest lists exactly the entries present (nothing
 * missing, added or reordered), that every row is valid JSON, and that the audit rows form an
 * unbroken hash chain.
 */
export class BackupVerifyError extends Error {
  override name = 'BackupVerifyError';
  constructor(readonly problems: string[]) {
    super(`backup failed verification:\n  ${problems.join('\n  ')}`);
  }
}

export interface VerifiedArchive {
  manifest: BackupManifest;
  rows: Record<TableName, Entry[]>;
  /** Blob entries to restore (those the manifest marks ok). */
  blobs: Entry[];
  /** The chain as recomputed from the archived audit rows. */
  chain: ChainCheck;
}

export async function verifyArchive(reader: ArchiveReader): Promise<VerifiedArchive> {
  const problems: string[] = [];
  const rows = Object.fromEntries(TABLE_NAMES.map((n) => [n, [] as Entry[]])) as Record<TableName, Entry[]>;
  const blobs: Entry[] = [];
  let manifestEntry: Entry | null = null;
  let chain: ChainCheck = { ok: true, count: 0, head: null };

  for await (const entry of reader.entries()) {
    const { header } = entry;
    if (manifestEntry) {
      problems.push('entries after the manifest');
      break;
    }
    if (header.kind === 'manifest') {
      manifestEntry = entry;
      continue;
    }
    if (header.kind === 'blob') {
      // A mismatch may be a blob that was already corrupt at backup time; decided against the manifest.
      blobs.push(entry);
      continue;
    }
    const name = header.table as TableName;
    if (!TABLE_NAMES.includes(name)) {
      problems.push(`rows for unknown table ${header.table}`);
      continue;
    }
    const body = await reader.readBody(entry);
    rows[name].push(entry);
    if (body.length !== header.bytes || sha256Hex(body) !== header.sha256) {
      problems.push(`${name} part ${header.part}: content does not match its SHA-256`);
      continue;
    }
    const lines = header.rows === 0 ? [] : body.toString('utf8').split('\n');
    if (lines.length !== header.rows)
      problems.push(`${name} part ${header.part}: ${lines.length} rows, header says ${header.rows}`);
    let parsed: Record<string, unknown>[];
    try {
      parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    } catch {
      problems.push(`${name} part ${header.part}: a row is not valid JSON`);
      continue;
    }
    if (name === 'audit' && chain.ok) {
      const page = verifyAuditChain(parsed.map(auditRowToEntry), chain.head);
      chain = page.ok ? { ok: true, count: chain.count + page.count, head: page.head } : page;
    }
  }

  if (!manifestEntry) throw new BackupVerifyError([...problems, 'no manifest: the archive is truncated']);
  const manifestBody = await reader.readBody(manifestEntry);
  if (sha256Hex(manifestBody) !== manifestEntry.header.sha256) {
    throw new BackupVerifyError([...problems, 'the manifest does not match its SHA-256']);
  }
  const manifest = JSON.parse(manifestBody.toString('utf8')) as BackupManifest;
  if (manifest.format !== 'lane-companion-backup' || manifest.version !== 1) {
    throw new BackupVerifyError([
      ...problems,
      `unknown manifest format ${manifest.format} v${manifest.version}`,
    ]);
  }

  for (const table of TABLES) {
    const listed = manifest.tables[table.name]?.parts ?? [];
    const found = rows[table.name].map((e) => e.header);
    const same =
      listed.length === found.length &&
      listed.every(
        (p, i) => p.sha256 === found[i]?.sha256 && p.rows === (found[i] as { rows?: number }).rows,
      );
    if (!same) problems.push(`${table.name}: the parts present differ from the manifest's list`);
  }
  const restorable: Entry[] = [];
  if (manifest.blobs.length !== blobs.length)
    problems.push('the clip files present differ from the manifest');
  for (let i = 0; i < blobs.length; i++) {
    const entry = blobs[i]!;
    const listed = manifest.blobs[i];
    if (!listed || listed.sha256 !== entry.header.sha256 || listed.bytes !== entry.header.bytes) {
      problems.push(`clip entry ${i} is not the one the manifest lists`);
      continue;
    }
    const actual = await reader.hashBody(entry);
    if (listed.ok && actual !== listed.sha256)
      problems.push(`clip ${listed.sha256}: content does not match its SHA-256`);
    if (listed.ok) restorable.push(entry);
  }
  if (chain.ok && chain.count !== manifest.audit.entries) {
    problems.push(`audit: ${chain.count} entries present, manifest says ${manifest.audit.entries}`);
  }
  if (problems.length > 0) throw new BackupVerifyError(problems);
  return { manifest, rows, blobs: restorable, chain };
}
