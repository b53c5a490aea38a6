import type { FastifyInstance } from 'fastify';
import type { ServerKey } from '../../../src/core/evidence/syncApi.ts';
import type { ServerKeys } from './serverKeys.ts';

/**
 * GET /api/server-key is deliberately unauthenticated: it is a public key, a kiosk may need it before
 * (or while re-) enrolling, and publishing it lets anyone check which key a kiosk is wrapping for.
 */
export function registerServerKeyRoute(app: FastifyInstance, keys: () => Promise<ServerKeys>): void {
  app.get('/api/server-key', async (_req, reply) => {
    const { keyId, publicJwk } = await keys();
    const body: ServerKey = { keyId, jwk: publicJwk };
    return reply.header('cache-control', 'no-cache').send(body);
  });
}
