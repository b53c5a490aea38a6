import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OrderVideoRecord, ClipMeta } from '../../../../src/core/evidence/record.ts';
import {
  encryptClip,
  generateClipKey,
  importServerPublicKey,
  sha256Hex,
  wrapClipKey,
} from '../../../../src/core/evidence/clipCipher.ts';
import { buildApp, type App } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { loadServerKeys, type ServerKeys } from '../../keys/serverKeys.ts';
import type { EvidenceServices, RetentionReport } from '../services.ts';
import { FileBlobStore } from '../../store/fileBlobStore.ts';
import { openEvidenceStore } from '../../store/openEvidenceStore.ts';
import { SqlEvidenceStore } from '../../store/sqlEvidenceStore.ts';
import type { AuditEntry, EvidenceStore } from '../../store/evidenceStore.ts';
import { MemoryEvidenceStore } from './memoryStore.ts';

export const ADMIN_TOKEN = 'test-admin-token';

/**
 * Route tests run on the in-memory store double by default (fast); EVIDENCE_TEST_STORE=pglite runs the
 * same tests on the real SQL store (PGlite in each harness's temp DATA_DIR).
 */
export const TEST_STORE = process.env.EVIDENCE_TEST_STORE === 'pglite' ? 'pglite' : 'memory';

/** TEST HELPER. One app over the in-memory store (or real services), with helpers to act as each role. */
export interface Harness {
  dir: string;
  built: App;
  keys: ServerKeys;
  services: EvidenceServices;
  /** The retention report the fake job returns next. */
  retentionReport: RetentionReport;
  close(): Promise<void>;
}

let sharedKeys: Promise<ServerKeys> | null = null;

/** RSA key generation takes a while on small machines, so one key pair serves a whole test file. */
export function testKeys(): Promise<ServerKeys> {
  sharedKeys ??= loadServerKeys(fs.mkdtempSync(path.join(os.tmpdir(), 'keys-')));
  return sharedKeys;
}

export async function startHarness(
  env: Record<string, string> = {},
  open?: (dir: string) => Promise<EvidenceServices>,
): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-'));
  const keys = await testKeys();
  const fake = { report: retentionReport({}) };
  const services: EvidenceServices = open
    ? await open(dir)
    : {
        store:
          TEST_STORE === 'pglite' ? await openEvidenceStore({ dataDir: dir }) : new MemoryEvidenceStore(),
        blobs: new FileBlobStore(path.join(dir, 'blobs')),
        keys,
        uploadsDir: path.join(dir, 'uploads'),
        runRetention: async () => fake.report,
        close: async () => undefined,
      };
  if (!open && TEST_STORE === 'pglite') services.close = () => services.store.close();
  const config = loadConfig({ DATA_DIR: dir, DIST_DIR: path.join(dir, 'none'), ADMIN_TOKEN, ...env });
  const built = await buildApp(config, { evidence: { open: async () => services } });
  const h: Harness = {
    dir,
    built,
    keys,
    services,
    get retentionReport() {
      return fake.report;
    },
    set retentionReport(report) {
      fake.report = report;
    },
    async close() {
      await built.app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** A retention report as the job returns it, with `fields` changed. */
export function retentionReport(fields: Partial<RetentionReport>): RetentionReport {
  return {
    cutoffIso: '2026-08-24T00:00:00.000Z',
    deleted: 0,
    kept: 0,
    emergency: false,
    emergencyDeleted: 0,
    deletedWithinRetention: 0,
    lowDisk: false,
    freeBytesBefore: 50 * 1024 ** 3,
    freedBytes: 0,
    errors: [],
    ...fields,
  };
}

export async function auditLog(h: Harness): Promise<AuditEntry[]> {
  return h.services.store.listAudit({ limit: 10_000 });
}

/** Everything the store holds about principals and codes, as text, to prove no secret is kept in clear. */
export async function storedSecrets(store: EvidenceStore): Promise<string> {
  if (store instanceof MemoryEvidenceStore) return JSON.stringify([[...store.principals], [...store.codes]]);
  if (store instanceof SqlEvidenceStore) {
    const principals = await store.db.query('SELECT * FROM principals');
    const codes = await store.db.query('SELECT * FROM enrolment_codes');
    return JSON.stringify([principals.rows, codes.rows]);
  }
  throw new Error('unknown store');
}

/** Changes an audit entry behind the API's back, as someone with database access could. */
export async function tamperAudit(store: EvidenceStore, seq: number): Promise<void> {
  if (store instanceof MemoryEvidenceStore) {
    const entry = store.audit.find((e) => e.seq === seq)!;
    entry.detail = { ...entry.detail, tampered: true };
  } else if (store instanceof SqlEvidenceStore) {
    // The append-only trigger has to be switched off first, which only a database owner can do.
    await store.db.exec('ALTER TABLE audit DISABLE TRIGGER audit_append_only');
    await store.db.query(`UPDATE audit SET detail = detail || '{"tampered": true}'::jsonb WHERE seq = $1`, [
      seq,
    ]);
    await store.db.exec('ALTER TABLE audit ENABLE TRIGGER audit_append_only');
  } else throw new Error('unknown store');
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Creates a person with `role` through the admin API and returns their token. */
export async function userToken(h: Harness, role: string, name = `${role} user`): Promise<string> {
  const res = await h.built.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: bearer(ADMIN_TOKEN),
    payload: { name, role },
  });
  if (res.statusCode !== 201) throw new Error(`user create failed: ${res.body}`);
  return (res.json() as { token: string }).token;
}

/** Enrols a device for `lane` with a fresh one-time code and returns its token. */
export async function deviceToken(h: Harness, lane: string): Promise<string> {
  const code = await h.built.app.inject({
    method: 'POST',
    url: '/api/enrolment-codes',
    headers: bearer(ADMIN_TOKEN),
    payload: { lane },
  });
  const enrol = await h.built.app.inject({
    method: 'POST',
    url: '/api/devices/enrol',
    payload: { code: (code.json() as { code: string }).code, lane },
  });
  if (enrol.statusCode !== 201) throw new Error(`enrol failed: ${enrol.body}`);
  return (enrol.json() as { token: string }).token;
}

export function makeRecord(lane: string, txn: string, clip?: ClipMeta): OrderVideoRecord {
  const record: OrderVideoRecord = {
    schema: 1,
    lane,
    txn,
    orderNo: 'A-1',
    status: 'paid',
    startedAt: '2026-11-22T08:00:00.000Z',
    endedAt: '2026-11-22T08:03:00.000Z',
    lines: [
      {
        line: 1,
        gtin: '6901234567892',
        name: '牛奶',
        unitPrice: 500,
        qty: 1,
        total: 500,
        scannedAt: '2026-11-22T08:00:10.000Z',
        voided: false,
      },
    ],
    total: 500,
    itemCount: 1,
    counts: { added: 1, voided: 0, quantityChanged: 0, quantityReduced: 0 },
    paymentFailures: 0,
    memberRefMasked: '••••5678',
    timeline: [
      {
        kind: 'event',
        at: '2026-11-22T08:00:00.000Z',
        seq: 1,
        type: 'transaction.started',
        summary: 'start',
      },
    ],
    suspicions: [],
    flagged: false,
    recordedAt: '2026-11-22T08:03:01.000Z',
  };
  if (clip) record.clip = clip;
  return record;
}

/** Encrypts `plain` the way the kiosk does and returns the file and the record's clip meta. */
export async function makeClip(
  keys: ServerKeys,
  plain: Uint8Array,
  opts: { chunkSize?: number; clipId?: string } = {},
): Promise<{ encrypted: Uint8Array; meta: ClipMeta }> {
  const key = await generateClipKey();
  const encrypted = await encryptClip(plain, key, opts.chunkSize ?? 16 * 1024);
  const wrappedKey = await wrapClipKey(key, await importServerPublicKey(keys.publicJwk));
  const meta: ClipMeta = {
    clipId: opts.clipId ?? 'clip-1',
    mime: 'video/webm;codecs=vp8',
    bytes: encrypted.length,
    sha256: await sha256Hex(encrypted),
    startMs: 1_700_000_000_000,
    endMs: 1_700_000_180_000,
    faceBlur: true,
    wrappedKey,
    keyId: keys.keyId,
  };
  return { encrypted, meta };
}

export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536)
    globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}
