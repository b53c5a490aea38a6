import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { ServerConfig } from './config.ts';
import { LaneHub } from './lanes/laneHub.ts';
import { registerRelayRoutes } from './lanes/relayRoutes.ts';
import { LaneBoard } from './guide/laneBoard.ts';
import { registerGuideRoutes } from './guide/guideRoutes.ts';
import { registerStaticRoutes } from './http/staticRoutes.ts';
import { registerKioskConfigRoute } from './http/kioskConfigRoute.ts';
import { registerEvidenceApi, type EvidenceApi, type EvidenceApiOptions } from './evidence/evidenceApi.ts';
import { registerCalibrationApi } from './calibration/zoneRoutes.ts';
import { createLaneAccess, DEMO_GUIDE_TOKEN, RELAY_PROTOCOL } from './lanes/laneAccess.ts';
import { LaneAlerts } from './guide/laneAlerts.ts';

export interface App {
  app: FastifyInstance;
  hub: LaneHub;
  board: LaneBoard;
  evidence: EvidenceApi;
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
  // Answer the relay protocol, never the kiosk's bearer.<token> entry, so the token is not echoed back.
  await app.register(websocket, {
    options: { handleProtocols: (offered) => (offered.has(RELAY_PROTOCOL) ? RELAY_PROTOCOL : false) },
  });
  const hub = new LaneHub(config.dataDir, config.replayWindow);
  const board = new LaneBoard(config.dataDir);
  app.get('/api/health', async () => ({ ok: true }));
  const evidence = await registerEvidenceApi(app, config, opts.evidence);
  registerCalibrationApi(app, { adminToken: config.adminToken, services: evidence.services });
  // Lane streams and statuses need the lane's device token (from enrolment) or an admin's.
  const access = createLaneAccess({
    ...(config.adminToken ? { adminToken: config.adminToken } : {}),
    ...(config.demo ? { demoGuideToken: DEMO_GUIDE_TOKEN } : {}),
    store: async () => (await evidence.services.get()).store,
  });
  registerRelayRoutes(app, hub, config.posToken, access);
  registerGuideRoutes(app, {
    board,
    access,
    laneAlerts: new LaneAlerts(config.dataDir),
    serverAlerts: () => evidence.alerts.list().map((a) => ({ ...a, id: `server-${a.id}` })),
  });
  registerKioskConfigRoute(app, config.dataDir);
  await registerStaticRoutes(app, config.distDir);
  return { app, hub, board, evidence };
}
