import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLaneId } from '../lanes/laneId.ts';
import { bearerToken, type AccessResult, type LaneAccess } from '../lanes/laneAccess.ts';
import { parseLaneStatus } from '../../../src/core/lane/laneStatus.ts';
import type { Role } from '../store/evidenceStore.ts';
import type { LaneBoard } from './laneBoard.ts';
import { parseLaneAlert, type GuideAlert, type LaneAlerts } from './laneAlerts.ts';

/** Who may watch the guide wall. */
export const GUIDE_ROLES: readonly Role[] = ['guide', 'lossPrevention', 'admin'];

export interface GuideRouteDeps {
  board: LaneBoard;
  access: LaneAccess;
  laneAlerts: LaneAlerts;
  /** The server's own alerts (low disk, failed retention), shown beside the lanes'. */
  serverAlerts: () => GuideAlert[];
}

const BAD_LANE = { error: 'bad-lane', message: 'Lane ids are 1-32 letters, digits, - or _.' };

function refuse(reply: FastifyReply, result: Extract<AccessResult, { ok: false }>) {
  return reply.code(result.status).send({ error: result.error, message: result.message });
}

/**
 * Kiosks publish their lane light (and alerts) here with their device token; the guide wall, logged
 * in with a guide's token, follows every lane and every alert by server-sent events.
 */
export function registerGuideRoutes(app: FastifyInstance, deps: GuideRouteDeps): void {
  const { board, access, laneAlerts } = deps;
  const allAlerts = (): GuideAlert[] =>
    [...deps.serverAlerts(), ...laneAlerts.list()].sort((a, b) => b.at.localeCompare(a.at));

  const laneDevice = async (req: FastifyRequest<{ Params: { lane: string } }>, reply: FastifyReply) => {
    if (!isLaneId(req.params.lane)) return reply.code(400).send(BAD_LANE);
    const result = await access.forLane(bearerToken(req.headers.authorization), req.params.lane);
    return result.ok ? undefined : refuse(reply, result);
  };
  const guide = async (req: FastifyRequest, reply: FastifyReply) => {
    const result = await access.forRoles(bearerToken(req.headers.authorization), GUIDE_ROLES);
    return result.ok ? undefined : refuse(reply, result);
  };

  app.put<{ Params: { lane: string } }>(
    '/api/lanes/:lane/status',
    { preHandler: laneDevice },
    async (req, reply) => {
      const parsed = parseLaneStatus(req.params.lane, req.body, new Date().toISOString());
      if (!parsed.ok) return reply.code(422).send({ error: 'invalid', message: parsed.error });
      board.update(parsed.status);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { lane: string } }>(
    '/api/lanes/:lane/alerts',
    { preHandler: laneDevice },
    async (req, reply) => {
      const parsed = parseLaneAlert(req.body);
      if (!parsed.ok) return reply.code(422).send({ error: 'invalid', message: parsed.error });
      return reply.code(201).send(laneAlerts.raise(req.params.lane, parsed.kind, parsed.message));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/guide/alerts/:id',
    { preHandler: guide },
    async (req, reply) => {
      if (!laneAlerts.acknowledge(req.params.id)) {
        return reply
          .code(404)
          .send({ error: 'not-found', message: 'No such lane alert (already acknowledged?).' });
      }
      return reply.code(204).send();
    },
  );

  app.get('/api/lanes', { preHandler: guide }, async () => ({ lanes: board.all() }));
  app.get('/api/guide/alerts', { preHandler: guide }, async () => ({ alerts: allAlerts() }));

  // The wall reads this with fetch (not EventSource) so it can send its token in a header.
  app.get('/api/guide/stream', { preHandler: guide }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    let lastAlerts = '';
    const sendAlerts = () => {
      const json = JSON.stringify(allAlerts());
      if (json === lastAlerts) return;
      lastAlerts = json;
      res.write(`event: alerts\ndata: ${json}\n\n`);
    };
    res.write(`event: lanes\ndata: ${JSON.stringify(board.all())}\n\n`);
    sendAlerts();
    const unsubscribe = board.subscribe((s) => res.write(`event: lane\ndata: ${JSON.stringify(s)}\n\n`));
    const unsubscribeAlerts = laneAlerts.subscribe(sendAlerts);
    // Server alerts change on retention runs, which have no event of their own: look every few seconds.
    const alertPoll = setInterval(sendAlerts, 5_000);
    // Comments keep proxies and phones from closing an idle stream.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(keepAlive);
      clearInterval(alertPoll);
      unsubscribe();
      unsubscribeAlerts();
    });
  });
}
