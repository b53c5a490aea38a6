import type { FastifyInstance } from 'fastify';
import { DEMO_ENROL_CODE, type EnrolResponse } from '../../../src/core/evidence/syncApi.ts';
import type { EvidenceStore } from '../store/evidenceStore.ts';
import { isLaneId } from '../lanes/laneId.ts';
import { FailureLimiter } from '../auth/failureLimiter.ts';
import { httpError } from '../auth/httpError.ts';
import { hashSecret, newPrincipalId, newToken, normaliseEnrolmentCode } from '../auth/tokens.ts';

export interface EnrolOptions {
  /** Accept DEMO_ENROL_CODE for any lane (demo installs only). */
  demo: boolean;
  store: () => Promise<EvidenceStore>;
  /** Failed attempts allowed per client address in a window; defaults suit a person typing a code. */
  limiter?: FailureLimiter;
}

/**
 * A kiosk trades a one-time code (issued by an admin for its lane) for a device token bound to that
 * lane. This is the only lane-data endpoint without a bearer token, so failures are rate limited.
 */
export function registerEnrolRoutes(app: FastifyInstance, opts: EnrolOptions): void {
  const limiter = opts.limiter ?? new FailureLimiter(10, 15 * 60_000);

  app.post('/api/devices/enrol', async (req, reply) => {
    const wait = limiter.retryAfter(req.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw httpError(429, 'too-many-attempts', `Too many wrong enrolment codes; try again in ${wait} s.`);
    }
    const b = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const { code, lane } = b;
    if (!isLaneId(lane)) throw httpError(400, 'bad-lane', 'lane must be 1-32 letters, digits, - or _.');
    if (typeof code !== 'string' || code.length === 0 || code.length > 64) {
      throw httpError(400, 'invalid', 'Send { code, lane } with the enrolment code from the admin.');
    }
    const normalised = normaliseEnrolmentCode(code);
    const s = await opts.store();
    const now = new Date().toISOString();
    let boundLane: string | null;
    if (normalised === DEMO_ENROL_CODE) {
      // The demo code is never stored, so it cannot be consumed; outside demo mode it is just a wrong code.
      boundLane = opts.demo ? lane : null;
    } else {
      boundLane = await s.consumeEnrolmentCode(hashSecret(normalised), now);
    }
    if (boundLane === null) {
      limiter.fail(req.ip);
      throw httpError(
        403,
        'bad-code',
        normalised === DEMO_ENROL_CODE
          ? 'The demo enrolment code is only accepted in demo mode; ask an admin for a code.'
          : 'Unknown, used or expired enrolment code; ask an admin for a new one.',
      );
    }
    if (boundLane !== lane) {
      // The code is spent either way: a one-time code must not be retried against other lanes.
      limiter.fail(req.ip);
      throw httpError(403, 'wrong-lane', `This code was issued for lane ${boundLane}, not ${lane}.`);
    }
    limiter.succeed(req.ip);
    const deviceId = newPrincipalId('dev');
    const token = newToken();
    await s.createPrincipal(
      { id: deviceId, kind: 'device', role: 'device', lane, name: `lane ${lane}` },
      hashSecret(token),
    );
    await s.appendAudit({
      at: now,
      actor: deviceId,
      action: 'device.enrol',
      target: lane,
      detail: { demo: normalised === DEMO_ENROL_CODE, ip: req.ip },
    });
    const response: EnrolResponse = { deviceId, lane, token };
    return reply.code(201).send(response);
  });
}
