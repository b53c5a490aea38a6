import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Server, type Upload } from '@tus/server';
import { FileStore } from '@tus/file-store';
import type { Principal } from '../store/evidenceStore.ts';
import type { Auth } from '../auth/authenticate.ts';
import { httpError } from '../auth/httpError.ts';
import { isUploadId } from './ids.ts';
import type { EvidenceServices, LazyServices } from './services.ts';
import { checkUploadCreation } from './uploadGuard.ts';
import { finalizeUpload } from './uploadFinalize.ts';
import { toJsonTusError } from './tusErrors.ts';

/** Unfinished uploads older than this are swept by the retention tick. */
export const UPLOAD_EXPIRY_MS = 7 * 24 * 3600_000;

interface Tus {
  server: Server;
  datastore: FileStore;
  services: EvidenceServices;
}

export interface UploadRoutes {
  /** Deletes expired unfinished uploads; returns how many. */
  sweep(): Promise<number>;
}

/**
 * tus 1.0 resumable uploads of encrypted clips at /api/uploads/, handled by @tus/server on the raw
 * Node request after our own preHandler has authenticated the device and checked that the upload is
 * its own. tus keeps partial uploads in DATA_DIR/uploads, so a kiosk killed mid-upload asks HEAD for
 * Upload-Offset and continues from there, even across a server restart.
 */
export function registerUploadRoutes(
  app: FastifyInstance,
  auth: Auth,
  services: LazyServices,
  opts: { maxClipBytes: number },
): UploadRoutes {
  // The device behind each raw request, for the audit entry written when tus reports a finished upload.
  const devices = new WeakMap<IncomingMessage, Principal>();
  const actorOf = (req: unknown, upload: Upload): string => {
    const raw = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
    const device = raw ? devices.get(raw) : undefined;
    return device?.id ?? `lane:${upload.metadata?.lane ?? '?'}`;
  };

  let tus: Promise<Tus> | null = null;
  const getTus = (): Promise<Tus> => {
    tus ??= services.get().then((s) => {
      const datastore = new FileStore({
        directory: s.uploadsDir,
        expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS,
      });
      const server = new Server({
        path: '/api/uploads',
        datastore,
        maxSize: opts.maxClipBytes,
        relativeLocation: true,
        namingFunction: () => randomBytes(16).toString('hex'),
        onUploadFinish: async (req, upload) => {
          await finalizeUpload(s, datastore, upload, actorOf(req, upload));
          return {};
        },
        onResponseError: (_req, err) => toJsonTusError(err),
      });
      return { server, datastore, services: s };
    });
    return tus;
  };

  async function guard(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const device = auth.principalOf(req);
    devices.set(req.raw, device);
    const t = await getTus();
    if (req.method === 'POST') {
      await checkUploadCreation(req, device, t.services, opts.maxClipBytes);
      return undefined;
    }
    const id = (req.params as { '*'?: string })['*'];
    if (!isUploadId(id)) throw httpError(400, 'bad-upload-id', 'Upload ids are 32 hex digits.');
    const info = await t.datastore.configstore.get(id);
    if (!info)
      throw httpError(404, 'not-found', 'No such upload (finished, refused or expired); create a new one.');
    if (info.metadata?.lane !== device.lane) {
      throw httpError(403, 'wrong-lane', `This upload belongs to lane ${info.metadata?.lane ?? '?'}.`);
    }
    if (req.method === 'HEAD' && info.size !== undefined) {
      return recoverFinished(t, { id, size: info.size, metadata: info.metadata }, device, reply);
    }
    return undefined;
  }

  /**
   * A complete upload that is still here was never finalized (the server stopped mid-way, or the
   * database was down). tus-js-client would see Upload-Offset == Upload-Length and stop, so the clip
   * would be lost: finalize it now and answer HEAD ourselves. Partial uploads go on to tus.
   */
  async function recoverFinished(
    t: Tus,
    upload: { id: string; size: number; metadata: Upload['metadata'] },
    device: Principal,
    reply: FastifyReply,
  ) {
    const { id, size } = upload;
    const stat = await fs.stat(path.join(t.services.uploadsDir, id)).catch(() => null);
    if (stat && stat.size !== size) return undefined;
    try {
      await finalizeUpload(t.services, t.datastore, upload, device.id);
    } catch (err) {
      const { status_code, body } = toJsonTusError(err as Error);
      const { error, message } = JSON.parse(body) as { error: string; message: string };
      throw httpError(status_code, error, message);
    }
    return reply
      .code(200)
      .headers({
        'tus-resumable': '1.0.0',
        'upload-offset': String(size),
        'upload-length': String(size),
        'cache-control': 'no-store',
      })
      .send();
  }

  async function handOver(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { server } = await getTus();
    reply.hijack();
    try {
      await server.handle(req.raw, reply.raw);
    } catch (err) {
      req.log.error(err);
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify({ error: 'upload-failed', message: (err as Error).message }));
      } else reply.raw.destroy();
    }
  }

  app.register(async (scope) => {
    // tus reads the PATCH body itself from the raw request; Fastify must leave the stream alone.
    scope.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null));
    const guarded = { preHandler: [auth.requireRole('device'), guard], exposeHeadRoute: false };
    scope.route({ method: 'POST', url: '/api/uploads', ...guarded, handler: handOver });
    scope.route({ method: 'POST', url: '/api/uploads/', ...guarded, handler: handOver });
    scope.route({
      method: ['HEAD', 'PATCH', 'DELETE'],
      url: '/api/uploads/*',
      ...guarded,
      handler: handOver,
    });
    // CORS preflights carry no credentials; tus answers them with its capabilities only.
    scope.route({ method: 'OPTIONS', url: '/api/uploads', handler: handOver });
    scope.route({ method: 'OPTIONS', url: '/api/uploads/*', handler: handOver });
  });

  return {
    async sweep() {
      const t = await getTus();
      // @tus/file-store creates its folder from its constructor without waiting for it: a sweep
      // right after start could list a folder that does not exist yet (a rare 500 under load).
      await fs.mkdir(t.services.uploadsDir, { recursive: true });
      const removed = await t.server.cleanUpExpiredUploads();
      return removed;
    },
  };
}
