import type { FastifyInstance } from 'fastify';
import { parsePosPayload, validatePosEvent } from '../../../src/core/pos/validate.ts';
import { bearerMatches } from '../http/bearer.ts';
import { isLaneId } from './laneId.ts';
import type { LaneHub, RelayMessage } from './laneHub.ts';
import { protocolToken, type LaneAccess } from './laneAccess.ts';

interface Rejected {
  index: number;
  code: string;
  errors: string[];
}

/**
 * The HTTP relay: a POS posts its events here and each lane's kiosk receives them over a
 * WebSocket, replayed from the seq it last applied so nothing is lost across reconnects.
 */
export function registerRelayRoutes(
  app: FastifyInstance,
  hub: LaneHub,
  posToken: string,
  access: LaneAccess,
): void {
  app.post<{ Params: { lane: string } }>('/api/lanes/:lane/pos-events', async (req, reply) => {
    const { lane } = req.params;
    if (!bearerMatches(req.headers.authorization, posToken)) {
      return reply
        .code(401)
        .send({ error: 'unauthorized', message: 'Send Authorization: Bearer <POS_TOKEN>.' });
    }
    if (!isLaneId(lane)) {
      return reply
        .code(400)
        .send({ error: 'bad-lane', message: 'Lane ids are 1-32 letters, digits, - or _.' });
    }
    const payload = parsePosPayload(req.body);
    if (!payload.ok) {
      hub.diagnose(lane, 'invalid', `POS payload rejected: ${payload.error}`);
      req.log.warn({ lane, error: payload.error }, 'pos payload rejected');
      return reply
        .code(422)
        .send({ error: 'invalid', message: payload.error, accepted: [], duplicates: [], rejected: [] });
    }
    const accepted: number[] = [];
    const duplicates: number[] = [];
    const rejected: Rejected[] = [];
    payload.events.forEach((raw, index) => {
      const result = validatePosEvent(raw);
      if (!result.ok) {
        rejected.push({ index, code: result.code, errors: result.errors });
        return;
      }
      const event = result.event;
      if (event.lane !== lane) {
        rejected.push({
          index,
          code: 'wrong-lane',
          errors: [`event is for lane ${event.lane}, posted to ${lane}`],
        });
        return;
      }
      const outcome = hub.publish(lane, event);
      if (outcome === 'accepted') accepted.push(event.seq);
      else if (outcome === 'duplicate') duplicates.push(event.seq);
      else
        rejected.push({
          index,
          code: 'conflict',
          errors: [`seq ${event.seq} was already used by a different event`],
        });
    });
    for (const r of rejected) {
      const seq = (payload.events[r.index] as { seq?: unknown } | null)?.seq;
      hub.diagnose(
        lane,
        r.code,
        `POS event #${r.index} rejected: ${r.errors.join('; ')}`,
        typeof seq === 'number' ? seq : undefined,
      );
      req.log.warn({ lane, ...r }, 'pos event rejected');
    }
    const status = accepted.length === 0 && duplicates.length === 0 ? 422 : 202;
    return reply.code(status).send({ accepted, duplicates, rejected });
  });

  app.get<{ Params: { lane: string }; Querystring: { since?: string } }>(
    '/api/lanes/:lane/stream',
    {
      websocket: true,
      // Checked before the upgrade, so a refused kiosk gets a plain HTTP status instead of a socket.
      // The token rides in Sec-WebSocket-Protocol (a WebSocket cannot send Authorization, and a URL is logged).
      preValidation: async (req, reply) => {
        const { lane } = req.params;
        if (!isLaneId(lane)) {
          return reply
            .code(400)
            .send({ error: 'bad-lane', message: 'Lane ids are 1-32 letters, digits, - or _.' });
        }
        const result = await access.forLane(protocolToken(req.headers['sec-websocket-protocol']), lane);
        if (!result.ok)
          return reply.code(result.status).send({ error: result.error, message: result.message });
        return undefined;
      },
    },
    (socket, req) => {
      const { lane } = req.params;
      if (!isLaneId(lane)) {
        socket.close(1008, 'bad lane id');
        return;
      }
      const since = Number(req.query.since ?? 0);
      const send = (msg: RelayMessage) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
      };
      // Subscribe before replaying so an event posted during the replay is not missed; the kiosk drops duplicates by seq.
      const unsubscribe = hub.subscribe(lane, send);
      const log = hub.log(lane);
      send({ kind: 'hello', lane, lastSeq: log.lastSeq });
      for (const event of log.since(Number.isFinite(since) ? since : 0)) send({ kind: 'pos', event });
      socket.on('close', unsubscribe);
      socket.on('error', unsubscribe);
    },
  );
}
