import type { FastifyInstance } from 'fastify';
import { isLaneId } from '../lanes/laneId.ts';
import { parseLaneStatus } from '../../../src/core/lane/laneStatus.ts';
import type { LaneBoard } from './laneBoard.ts';

/** Kiosks publish their lane light here; the guide wall follows every lane by server-sent events. */
export function registerGuideRoutes(app: FastifyInstance, board: LaneBoard): void {
  app.put<{ Params: { lane: string } }>('/api/lanes/:lane/status', async (req, reply) => {
    if (!isLaneId(req.params.lane)) return reply.code(400).send({ error: 'bad-lane' });
    const parsed = parseLaneStatus(req.params.lane, req.body, new Date().toISOString());
    if (!parsed.ok) return reply.code(422).send({ error: 'invalid', message: parsed.error });
    board.update(parsed.status);
    return reply.code(204).send();
  });

  app.get('/api/lanes', async () => ({ lanes: board.all() }));

  app.get('/api/guide/stream', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    res.write(`event: lanes\ndata: ${JSON.stringify(board.all())}\n\n`);
    const unsubscribe = board.subscribe((s) => res.write(`event: lane\ndata: ${JSON.stringify(s)}\n\n`));
    // Comments keep proxies and phones from closing an idle stream.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
}
