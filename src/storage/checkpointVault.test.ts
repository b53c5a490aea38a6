import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decryptClip, unwrapClipKey } from '../core/evidence/clipCipher.ts';
import { makeChunks } from '../recording/testChunks.testkit.ts';
import { muxClip, type MuxedClip } from '../recording/webmClip.ts';
import { readWebm } from '../recording/webmReader.ts';
import { CheckpointVault, type CheckpointInput } from './checkpointVault.ts';
import type { KioskDb } from './db.ts';
import {
  blobBytes,
  contains,
  freshDb,
  sampleRecord,
  serverPair,
  T0,
  type ServerPair,
} from './evidence.testkit.ts';
import { EvidenceVault } from './evidenceVault.ts';

const FPS = 12;
const MUX = { codec: 'vp8' as const, width: 640, height: 360, fps: FPS };

let server: ServerPair;
beforeAll(async () => {
  server = await serverPair();
});

const dbs: KioskDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

/** 30 s of synthetic camera cut into three keyframe-aligned 10 s pieces, epoch-ms times. */
function recording(): MuxedClip[] {
  const chunks = makeChunks(FPS * 30, { t0: T0 - 30_000, fps: FPS, gop: FPS });
  return [0, 1, 2].map((i) => muxClip(chunks.slice(i * 120, (i + 1) * 120), MUX)!);
}

function checkpoint(txn: string, seq: number, piece: MuxedClip): CheckpointInput {
  return {
    txn,
    seq,
    bytes: piece.bytes,
    mime: 'video/webm',
    startMs: piece.startMs,
    endMs: piece.endMs,
    faceBlur: true,
    frames: piece.frames,
  };
}

/** WebM stores whole-millisecond timecodes, so a re-muxed clip's end moves by under 1 ms. */
function expectWithinAMillisecond(actual: number, expected: number) {
  expect(Math.abs(actual - expected)).toBeLessThan(1);
}

function setup() {
  const db = freshDb('pieces');
  dbs.push(db);
  const alerts: string[] = [];
  const onAlert = (m: string) => alerts.push(m);
  const vault = new EvidenceVault(db, {
    getServerKey: async () => server.handle,
    now: () => T0,
    estimate: async () => ({ usage: 0, quota: 10e9 }),
    onAlert,
    retention: { lowFreeBytes: 0, targetFreeBytes: 0 },
  });
  const pieces = new CheckpointVault(db, vault, { now: () => T0, fps: FPS, onAlert });
  return { db, alerts, vault, pieces };
}

/** The stored clip of `txn`, opened with the server's private key: what a reviewer would see. */
async function openStoredClip(db: KioskDb, txn: string) {
  const row = (await db.records.get(txn))!;
  const meta = row.record.clip!;
  const clipRow = (await db.clips.get(meta.clipId))!;
  const key = await unwrapClipKey(meta.wrappedKey, server.privateKey);
  const plain = await decryptClip(await blobBytes(clipRow.bytes), key);
  return { meta, webm: readWebm(plain) };
}

describe('CheckpointVault: pieces of open transactions', () => {
  it('stores each piece encrypted, with one key per transaction', async () => {
    const { db, pieces } = setup();
    const [a, b] = recording();
    expect(await pieces.store('L1', checkpoint('T1', 1, a!))).toBe(true);
    expect(await pieces.store('L1', checkpoint('T1', 2, b!))).toBe(true);
    const rows = await db.pieces.where('txn').equals('T1').toArray();
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(await db.pieceKeys.count()).toBe(1);
    const stored = await blobBytes(rows[0]!.bytes);
    expect(String.fromCharCode(...stored.subarray(0, 4))).toBe('LCC1');
    // No stretch of the plaintext WebM (past its generic EBML header) is on disk.
    expect(contains(stored, a!.bytes.subarray(64, 128))).toBe(false);
    expect((await db.pieceKeys.get('T1'))!.key.extractable).toBe(false);
  });

  it("the transaction's clip replaces its pieces in the same write", async () => {
    const { db, vault, pieces } = setup();
    const [a, b] = recording();
    await pieces.store('L1', checkpoint('T1', 1, a!));
    await pieces.store('L1', checkpoint('T1', 2, b!));
    await vault.saveEvidence(sampleRecord('T1'));
    expect(await db.pieces.count()).toBe(2); // the record alone supersedes nothing
    const joined = muxClip(makeChunks(FPS * 30, { t0: T0 - 30_000, fps: FPS }), MUX)!;
    await vault.attachClip('T1', { ...joined, mime: 'video/webm', faceBlur: true });
    expect(await db.pieces.count()).toBe(0);
    expect(await db.pieceKeys.count()).toBe(0);
  });

  it('a piece storage refuses is reported, and nothing half-written remains', async () => {
    const { db, alerts, pieces } = setup();
    const [a] = recording();
    vi.spyOn(db.pieces, 'add').mockRejectedValueOnce(new DOMException('full', 'QuotaExceededError'));
    expect(await pieces.store('L1', checkpoint('T1', 1, a!))).toBe(false);
    expect(alerts[0]).toMatch(/T1: checkpoint 1 not kept: storage full/);
    expect(await db.pieces.count()).toBe(0);
    expect(await db.pieceKeys.count()).toBe(0);
  });
});

describe('CheckpointVault: recovery after a killed browser', () => {
  it('joins the pieces of a transaction with no record into a flagged orphan record that syncs', async () => {
    const first = setup();
    const [a, b] = recording();
    await first.pieces.store('L1', checkpoint('T1', 1, a!));
    await first.pieces.store('L1', checkpoint('T1', 2, b!));
    // A new page: nothing in memory, only the database.
    const again = new CheckpointVault(first.db, first.vault, { now: () => T0, fps: FPS, onAlert: () => {} });
    const outcome = await again.recover('T1');
    expect(outcome.kind).toBe('orphan');
    const row = (await first.db.records.get('T1:interrupted'))!;
    expect(row.flagged).toBe(true);
    expect(row.record).toMatchObject({ status: 'open', lines: [], lane: 'L1' });
    const { meta, webm } = await openStoredClip(first.db, 'T1:interrupted');
    expect(webm.frames).toHaveLength(a!.frames + b!.frames);
    expect(meta.startMs).toBe(a!.startMs);
    expectWithinAMillisecond(meta.endMs, b!.endMs);
    expect(await first.db.pieces.count()).toBe(0);
    expect(await first.db.pieceKeys.count()).toBe(0);
    const outbox = await first.db.outbox.toArray();
    expect(outbox.map((e) => e.kind).sort()).toEqual(['clip', 'record']);
  });

  it("attaches the joined clip to the transaction's record when the order was sealed without one", async () => {
    const { db, vault, pieces } = setup();
    const [a, b] = recording();
    await pieces.store('L1', checkpoint('T2', 1, a!));
    await pieces.store('L1', checkpoint('T2', 2, b!));
    await vault.saveEvidence(sampleRecord('T2'));
    expect((await pieces.recover('T2')).kind).toBe('attached');
    const { webm } = await openStoredClip(db, 'T2');
    expect(webm.frames).toHaveLength(a!.frames + b!.frames);
    expect(await db.records.get('T2:interrupted')).toBeUndefined();
    expect(await db.pieces.count()).toBe(0);
  });

  it('pieces of a record that already has its clip are late copies and go', async () => {
    const { db, vault, pieces } = setup();
    const [a] = recording();
    const whole = muxClip(makeChunks(FPS * 30, { t0: T0 - 30_000, fps: FPS }), MUX)!;
    await vault.saveEvidence(sampleRecord('T3'), { ...whole, mime: 'video/webm', faceBlur: true });
    await pieces.store('L1', checkpoint('T3', 1, a!));
    expect((await pieces.recover('T3')).kind).toBe('superseded');
    expect(await db.pieces.count()).toBe(0);
    expect(await db.clips.count()).toBe(1);
  });

  it('says so when the pieces cannot be opened, instead of dropping them silently', async () => {
    const { db, alerts, vault, pieces } = setup();
    const [a] = recording();
    await pieces.store('L1', checkpoint('T4', 1, a!));
    await db.pieceKeys.clear();
    const fresh = new CheckpointVault(db, vault, { now: () => T0, fps: FPS, onAlert: (m) => alerts.push(m) });
    expect(await fresh.recover('T4')).toEqual({
      kind: 'unreadable',
      reason: 'the key of its pieces is missing',
    });
    expect(alerts).toEqual([
      'lane L1, transaction T4: interrupted video lost: the key of its pieces is missing',
    ]);
  });

  it('recoverAll leaves the transactions this page still records alone', async () => {
    const { db, pieces } = setup();
    const [a] = recording();
    await pieces.store('L1', checkpoint('OPEN', 1, a!));
    await pieces.store('L1', checkpoint('GONE', 1, a!));
    const outcomes = await pieces.recoverAll((txn) => txn === 'OPEN');
    expect(outcomes.map((o) => o.kind)).toEqual(['orphan']);
    expect(await pieces.pendingTxns()).toEqual(['OPEN']);
    expect(await db.records.get('GONE:interrupted')).toBeDefined();
  });

  it('a transaction open across a reload: the final clip gets the earlier pieces joined in front', async () => {
    const { db, vault, pieces } = setup();
    const [a, , c] = recording();
    await pieces.store('L1', checkpoint('T5', 1, a!)); // before the reload
    await pieces.store('L1', checkpoint('T5', 1, c!)); // after it, seq restarted; the final clip covers it
    const final = {
      bytes: c!.bytes,
      mime: 'video/webm',
      startMs: c!.startMs,
      endMs: c!.endMs,
      faceBlur: true,
    };
    const full = await pieces.withEarlierPieces('T5', final);
    expect(full.startMs).toBe(a!.startMs);
    expectWithinAMillisecond(full.endMs, c!.endMs);
    await vault.saveEvidence(sampleRecord('T5'));
    await vault.attachClip('T5', full);
    const { webm } = await openStoredClip(db, 'T5');
    // The middle piece was never recorded (the page was reloading): a gap in time, no frame lost or repeated.
    expect(webm.frames).toHaveLength(a!.frames + c!.frames);
    expect(await db.pieces.count()).toBe(0);
  });
});
