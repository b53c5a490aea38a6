import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { validateLaneZones } from '../../../src/core/lane/zoneValidation.ts';
import { createAuth, type Auth } from '../auth/authenticate.ts';
import { httpError } from '../auth/httpError.ts';
import { isLaneId } from '../lanes/laneId.ts';
import type { Principal, Role } from '../store/evidenceStore.ts';
import type { LazyServices } from '../evidence/services.ts';

/** A full calibration is ~10 KB at the point limit; anything far above is not one. */
export const ZONES_BODY_LIMIT = 32 * 1024;

/** Reviewer roles that may read a lane's calibration (to judge a disputed suspicion). */
const READ_ROLES: readonly Role[] = ['admin', 'lossPrevention', 'guide'];

type LaneRequest = FastifyRequest<{ Params: { lane: string } }>;

function laneOf(req: FastifyRequest): string {
  const { lane } = req.params as { lane?: unknown };
  if (!isLaneId(lane)) throw httpError(400, 'bad-lane', 'lane must be 1-32 letters, digits, - or _.');
  return lane;
}

/** A device may touch only its own lane; people need one of `roles`. */
function laneAccess(auth: Auth, roles: readonly Role[], verb: string): preHandlerAsyncHookHandler {
  return async function (req, reply) {
    const lane = laneOf(req);
    await auth.authenticate.call(this, req, reply);
    const p: Principal = auth.principalOf(req);
    if (p.role === 'device') {
      if (p.lane !== lane) {
        throw httpError(
          403,
          'wrong-lane',
          `This device is enrolled for lane ${p.lane ?? '(none)'} and may not ${verb} lane ${lane}'s zones.`,
        );
      }
      return;
    }
    if (!roles.includes(p.role)) {
      throw httpError(
        403,
        'forbidden',
        `This needs one of the roles ${roles.join(', ')}; you are ${p.role}.`,
      );
    }
  };
}

/**
 * Lane calibration (docs/calibration.md): the zones an installer drew on a lane's camera image.
 * The kiosk of that lane (or an admin) writes them; that kiosk and reviewers read them. The body is
 * checked with the same validator the kiosk uses, so both refuse the same zones in the same words.
 */
export function registerZoneRoutes(app: FastifyInstance, auth: Auth, services: LazyServices): void {
  app.put(
    '/api/lanes/:lane/zones',
    { bodyLimit: ZONES_BODY_LIMIT, preHandler: laneAccess(auth, ['admin'], 'change') },
    async (req: LaneRequest, reply) => {
      const lane = laneOf(req);
      const checked = validateLaneZones(req.body);
      if (!checked.ok) {
        return reply.code(400).send({
          error: 'invalid-zones',
          message: checked.problems.map((p) => p.message).join(' '),
          problems: checked.problems,
        });
      }
      const who = auth.principalOf(req);
      const { store } = await services.get();
      const current = await store.getLaneZones(lane);
      if (current && Date.parse(current.zones.updatedAt) > Date.parse(checked.value.updatedAt)) {
        // An offline kiosk catching up must not undo a calibration drawn after its own.
        return reply.code(409).send({
          error: 'stale-zones',
          message: `Lane ${lane} has a newer calibration (drawn ${current.zones.updatedAt}); reload it before saving.`,
          current,
        });
      }
      // The server, not the body, says who stored it: a principal id, never a person's name.
      const zones = { ...checked.value, updatedBy: who.id };
      const storedAt = new Date().toISOString();
      await store.putLaneZones(lane, zones, who.id, storedAt);
      await store.appendAudit({
        at: storedAt,
        actor: who.id,
        action: 'lane.zones.set',
        target: lane,
        detail: {
          drawnAt: zones.updatedAt,
          points: Object.fromEntries(Object.entries(zones.zones).map(([name, poly]) => [name, poly.length])),
        },
      });
      return { lane, zones, updatedBy: who.id, storedAt };
    },
  );

  app.get(
    '/api/lanes/:lane/zones',
    { preHandler: laneAccess(auth, READ_ROLES, 'read') },
    async (req: FastifyRequest<{ Params: { lane: string }; Querystring: { ifAbsent?: string } }>, reply) => {
      const lane = laneOf(req);
      const { store } = await services.get();
      const stored = await store.getLaneZones(lane);
      if (stored) return stored;
      // The kiosk asks with ifAbsent=empty: a browser logs every 404 as a console error, and an
      // uncalibrated lane is an ordinary state for it, not a failure.
      if (req.query.ifAbsent === 'empty') return reply.code(204).send();
      throw httpError(404, 'no-zones', `Lane ${lane} has not been calibrated yet.`);
    },
  );
}

/** Registers the calibration routes with their own Auth over the evidence services' store. */
export function registerCalibrationApi(
  app: FastifyInstance,
  opts: { adminToken?: string | undefined; services: LazyServices },
): void {
  const auth = createAuth({
    ...(opts.adminToken ? { adminToken: opts.adminToken } : {}),
    store: async () => (await opts.services.get()).store,
  });
  registerZoneRoutes(app, auth, opts.services);
}
