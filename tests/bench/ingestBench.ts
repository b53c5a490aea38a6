import fs from 'node:fs';
import { Upload } from 'tus-js-client';
import { OrderModel } from '../../src/core/order/orderModel.ts';
import { toOrderVideoRecord, type OrderVideoRecord } from '../../src/core/evidence/record.ts';
import { DEMO_ENROL_CODE, SYNC_API } from '../../src/core/evidence/syncApi.ts';
import {
  encryptClip,
  generateClipKey,
  importServerPublicKey,
  sha256Hex,
  wrapClipKey,
} from '../../src/core/evidence/clipCipher.ts';
import type { RunningServer } from './serverProcess.ts';

export interface IngestFigures {
  lanes: number;
  recordsPerLane: number;
  clipBytes: number;
  seconds: number;
  recordsPerSecond: number;
  clipMBPerSecond: number;
  serverPeakRssMB: number;
}

/** Incompressible bytes, like an encoded video (getRandomValues fills at most 64 KiB a call). */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

function peakRssMB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** A real order built from protocol events, so the record passes the server's checks. */
function order(lane: string, txn: string) {
  const m = new OrderModel({ lane });
  const at = new Date().toISOString();
  const base = (seq: number) => ({ v: 1, lane, txn, seq, at });
  m.accept({ ...base(1), type: 'transaction.started' }, 0);
  for (let i = 1; i <= 5; i++) {
    m.accept(
      {
        ...base(i + 1),
        type: 'item.added',
        line: i,
        gtin: '6901234567892',
        name: '牛奶',
        unitPrice: 500,
        qty: 1,
      },
      0,
    );
  }
  m.accept({ ...base(7), type: 'payment.succeeded', amount: 2500 }, 0);
  m.accept({ ...base(8), type: 'transaction.ended' }, 0);
  return m.current!;
}

async function upload(
  url: string,
  token: string,
  data: Uint8Array,
  meta: Record<string, string>,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const u = new Upload(Buffer.from(data), {
      endpoint: `${url}${SYNC_API.uploads}`,
      headers: { authorization: `Bearer ${token}` },
      metadata: meta,
      chunkSize: 1024 * 1024,
      retryDelays: [200, 1000],
      onSuccess: () => resolve(),
      onError: reject,
    });
    u.start();
  });
}

/**
 * Many lanes syncing at once into one store server: each enrols, then sends its records and
 * encrypted clips (tus) concurrently, as a store's lanes do after the server was down for a while.
 */
export async function measureIngest(
  server: RunningServer,
  lanes = 20,
  recordsPerLane = 5,
  clipBytes = 256 * 1024,
): Promise<IngestFigures> {
  const json = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const key = (await (await fetch(`${server.url}${SYNC_API.serverKey}`)).json()) as {
    keyId: string;
    jwk: JsonWebKey;
  };
  const publicKey = await importServerPublicKey(key.jwk);
  // Prepare everything first so the timed part is the server's work, not the bench's encryption.
  const plan = await Promise.all(
    Array.from({ length: lanes }, async (_, l) => {
      const lane = `ING${String(l).padStart(2, '0')}`;
      const enrolled = (await json(SYNC_API.enrol, { code: DEMO_ENROL_CODE, lane })) as { token: string };
      const items: { record: OrderVideoRecord; bytes: Uint8Array }[] = [];
      for (let r = 0; r < recordsPerLane; r++) {
        const txn = `${lane}-T${r}`;
        const clipKey = await generateClipKey();
        const bytes = await encryptClip(randomBytes(clipBytes), clipKey);
        const record = toOrderVideoRecord(order(lane, txn), new Date().toISOString(), {
          clipId: `${txn}-clip`,
          mime: 'video/webm',
          bytes: bytes.length,
          sha256: await sha256Hex(bytes),
          startMs: Date.now() - 60_000,
          endMs: Date.now(),
          faceBlur: true,
          wrappedKey: await wrapClipKey(clipKey, publicKey),
          keyId: key.keyId,
        });
        items.push({ record, bytes });
      }
      return { lane, token: enrolled.token, items };
    }),
  );
  const t0 = performance.now();
  await Promise.all(
    plan.map(async ({ lane, token, items }) => {
      await json(SYNC_API.records, { records: items.map((i) => i.record) }, token);
      for (const { record, bytes } of items) {
        await upload(server.url, token, bytes, {
          lane,
          txn: record.txn,
          clipId: record.clip!.clipId,
          sha256: record.clip!.sha256,
        });
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const total = lanes * recordsPerLane;
  return {
    lanes,
    recordsPerLane,
    clipBytes,
    seconds,
    recordsPerSecond: total / seconds,
    clipMBPerSecond: (total * clipBytes) / 1024 / 1024 / seconds,
    serverPeakRssMB: peakRssMB(server.proc.pid!),
  };
}
