import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { ServerConfig } from './config.ts';
import { LaneHub } from './lanes/laneHub.ts';
import { registerRelayRoutes } from './lanes/relayRoutes.ts';
import { LaneBoard } from './guide/laneBoard.ts';
import { registerGuideRoutes } from './guide/guideRoutes.ts';
import { registerStaticRoutes } from './http/staticRoutes.ts';
import { registerKioskConfigRoute } from './http/kioskConfigRoute.ts';
import { registerEvidenceApi, type EvidenceApiOptions } from './evidence/evidenceApi.ts';

export interface App {
  app: FastifyInstance;
  hub: LaneHub;
  board: LaneBoard;
}

export async function buildApp(
  config: ServerConfig,
  opts: { logger?: boolean; evidence?: EvidenceApiOptions } = {},
): Promise<App> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: config.maxBodyBytes });
  // Clear JSON errors for every failure, including bodies Fastify refuses before a route runs.
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error(err);
    return reply.code(status).send({ error: err.code ?? 'error', message: err.message });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: 'not-found', message: `No route for ${req.method} ${req.url}` }),
  );
  await app.register(websocket);
  const hub = new LaneHub(config.dataDir, config.replayWindow);
  const board = new LaneBoard(config.dataDir);
  app.get('/api/health', async () => ({ ok: true }));
  registerRelayRoutes(app, hub, config.posToken);
  registerGuideRoutes(app, board);
  registerKioskConfigRoute(app, config.dataDir);
  await registerEvidenceApi(app, config, opts.evidence);
  await registerStaticRoutes(app, config.distDir);
  return { app, hub, board };
}
