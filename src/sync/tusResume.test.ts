import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, HttpStack } from 'tus-js-client';
import { EvidenceVault } from '../storage/evidenceVault.ts';
import { blobBytes, freshDb, plainClip, sampleRecord, serverPair, T0 } from '../storage/evidence.testkit.ts';
import { fakeFetch, manualTime, storeAll } from './fakes.testkit.ts';
import { SyncAgent } from './syncAgent.ts';
import type { TusOptions, TusUploadFactory } from './tus.ts';
import { tusJsUpload } from './tusJs.ts';

/**
 * The real tus-js-client, driven by the real SyncAgent, against an in-memory tus 1.0 server. Only
 * the transport (httpStack) and the file reader are swapped, because Node's build of the client
 * reads Buffers and streams, not the Blobs IndexedDB hands back in the browser.
 */
class MemoryTusServer {
  uploads = new Map<string, { length: number; data: Uint8Array; meta: string }>();
  log: { method: string; url: string; offset?: string }[] = [];
  /** Throws on the Nth PATCH (1-based), like a browser killed mid-upload. */
  killOnPatch = 0;
  private patches = 0;
  private next = 0;

  stack(): HttpStack {
    return { createRequest: (method, url) => this.request(method, url), getName: () => 'memory' };
  }

  private request(method: string, url: string): HttpRequest {
    const headers = new Map<string, string>();
    return {
      getMethod: () => method,
      getURL: () => url,
      setHeader: (k, v) => void headers.set(k.toLowerCase(), v),
      getHeader: (k) => headers.get(k.toLowerCase()),
      setProgressHandler: () => {},
      send: async (body: unknown) => this.handle(method, url, headers, body),
      abort: async () => {},
      getUnderlyingObject: () => null,
    };
  }

  private async handle(
    method: string,
    url: string,
    h: Map<string, string>,
    body: unknown,
  ): Promise<HttpResponse> {
    this.log.push({ method, url, offset: h.get('upload-offset') });
    if (h.get('authorization') !== 'Bearer tok-1') return res(401);
    if (method === 'POST') {
      const id = `u${++this.next}`;
      const length = Number(h.get('upload-length'));
      this.uploads.set(id, { length, data: new Uint8Array(0), meta: h.get('upload-metadata') ?? '' });
      return res(201, { Location: `/api/uploads/${id}` });
    }
    const up = this.uploads.get(url.split('/').pop() ?? '');
    if (!up) return res(404);
    if (method === 'HEAD')
      return res(200, { 'Upload-Offset': String(up.data.length), 'Upload-Length': String(up.length) });
    if (method === 'PATCH') {
      if (++this.patches === this.killOnPatch) throw new Error('net::ERR_CONNECTION_RESET');
      if (Number(h.get('upload-offset')) !== up.data.length) return res(409);
      const chunk = new Uint8Array(await (body as Blob).arrayBuffer());
      const data = new Uint8Array(up.data.length + chunk.length);
      data.set(up.data);
      data.set(chunk, up.data.length);
      up.data = data;
      return res(204, { 'Upload-Offset': String(data.length) });
    }
    return res(405);
  }
}

function res(status: number, headers: Record<string, string> = {}): HttpResponse {
  return {
    getStatus: () => status,
    getHeader: (k) => Object.entries(headers).find(([n]) => n.toLowerCase() === k.toLowerCase())?.[1],
    getBody: () => '',
    getUnderlyingObject: () => null,
  };
}

const blobReader = {
  openFile: async (file: Blob) => ({
    size: file.size,
    slice: async (start: number, end: number) => ({ value: file.slice(start, end), done: end >= file.size }),
    close: () => {},
  }),
};

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

describe('clip upload with the real tus client', () => {
  it('after a kill mid-upload, the next page life resumes at the server offset instead of restarting', async () => {
    const db = freshDb('tus');
    cleanup.push(() => db.close());
    await db.setMeta('device', { deviceId: 'd', lane: 'L1', token: 'tok-1', enrolledAt: '' });
    const time = manualTime(T0);
    const server = await serverPair();
    const vault = new EvidenceVault(db, {
      getServerKey: async () => server.handle,
      now: time.now,
      estimate: async () => ({ usage: 0, quota: 1e12 }),
      onAlert: () => {},
    });
    const sealed = await vault.saveEvidence(sampleRecord('TR1'), {
      bytes: plainClip(10_000),
      mime: 'video/webm',
      startMs: 1,
      endMs: 2,
      faceBlur: false,
    });
    const tusServer = new MemoryTusServer();
    tusServer.killOnPatch = 3;
    const tusUpload: TusUploadFactory = (file, opts) =>
      tusJsUpload(file, { ...opts, httpStack: tusServer.stack(), fileReader: blobReader } as TusOptions);
    const { fetch } = fakeFetch(storeAll);
    const life = () => {
      const agent = new SyncAgent(db, {
        baseUrl: 'https://store.example',
        fetch,
        tusUpload,
        now: time.now,
        setTimer: time.setTimer,
        clearTimer: time.clearTimer,
        onStatus: () => {},
        chunkSize: 4096,
      });
      cleanup.push(() => agent.stop());
      return agent;
    };

    const first = life();
    first.start();
    await first.idle();
    const url = (await db.clips.get(sealed.clip!.clipId))!.uploadUrl;
    expect(url).toBe('https://store.example/api/uploads/u1');
    expect(tusServer.uploads.get('u1')!.data.length).toBe(8192);
    expect((await db.records.get('TR1'))!.syncState).toBe('pending');
    await first.stop();

    const second = life();
    second.start();
    await second.syncNow();
    const resumed = tusServer.log.slice(tusServer.log.findIndex((l) => l.method === 'HEAD'));
    expect(resumed.map((l) => l.method)).toEqual(['HEAD', 'PATCH']);
    expect(Number(resumed[1]!.offset)).toBe(8192);
    expect(tusServer.log.filter((l) => l.method === 'POST')).toHaveLength(1);
    const stored = (await db.clips.get(sealed.clip!.clipId))!;
    expect(tusServer.uploads.get('u1')!.data).toEqual(await blobBytes(stored.bytes));
    expect(tusServer.uploads.get('u1')!.meta).toContain(`sha256 ${btoa(sealed.clip!.sha256)}`);
    expect((await db.records.get('TR1'))!.syncState).toBe('synced');
  });
});
