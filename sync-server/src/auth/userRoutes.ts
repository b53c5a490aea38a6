import type { FastifyInstance } from 'fastify';
import type { EvidenceStore, Role } from '../store/evidenceStore.ts';
import { isLaneId } from '../lanes/laneId.ts';
import type { Auth } from './authenticate.ts';
import { httpError } from './httpError.ts';
import { hashSecret, newEnrolmentCode, newPrincipalId, newToken, normaliseEnrolmentCode } from './tokens.ts';

/** Roles a person can hold; 'device' belongs only to enrolled lanes. */
export const USER_ROLES: readonly Role[] = ['admin', 'lossPrevention', 'guide'];

const DEFAULT_CODE_TTL_MINUTES = 60;
const MAX_CODE_TTL_MINUTES = 7 * 24 * 60;

function isUserRole(value: unknown): value is Role {
  return typeof value === 'string' && (USER_ROLES as readonly string[]).includes(value);
}

function body(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw httpError(400, 'invalid', 'Send a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** Admin-only management of people, roles and lane enrolment codes. */
export function registerUserRoutes(
  app: FastifyInstance,
  auth: Auth,
  store: () => Promise<EvidenceStore>,
): void {
  const adminOnly = { preHandler: auth.requireRole('admin') };

  app.post('/api/users', adminOnly, async (req, reply) => {
    const { name, role } = body(req.body);
    if (typeof name !== 'string' || name.trim().length === 0 || name.length > 80) {
      throw httpError(400, 'invalid', 'name must be 1-80 characters.');
    }
    if (!isUserRole(role)) throw httpError(400, 'invalid', `role must be one of ${USER_ROLES.join(', ')}.`);
    const id = newPrincipalId('usr');
    const token = newToken();
    const s = await store();
    await s.createPrincipal({ id, kind: 'user', role, name: name.trim() }, hashSecret(token));
    await s.appendAudit({
      at: new Date().toISOString(),
      actor: auth.principalOf(req).id,
      action: 'user.create',
      target: id,
      detail: { role, name: name.trim() },
    });
    // The token is shown once: only its hash is kept, so a lost token means a new user.
    return reply.code(201).send({ id, token });
  });

  app.get('/api/users', adminOnly, async () => ({ users: await (await store()).listPrincipals() }));

  app.put<{ Params: { id: string } }>('/api/users/:id/role', adminOnly, async (req) => {
    const { role } = body(req.body);
    if (!isUserRole(role)) throw httpError(400, 'invalid', `role must be one of ${USER_ROLES.join(', ')}.`);
    const s = await store();
    const target = (await s.listPrincipals()).find((p) => p.id === req.params.id);
    if (!target) throw httpError(404, 'not-found', `No user ${req.params.id}.`);
    if (target.kind === 'device') {
      throw httpError(
        409,
        'device-role',
        'A lane device always has the role device; enrol it again to move it.',
      );
    }
    await s.setRole(target.id, role);
    await s.appendAudit({
      at: new Date().toISOString(),
      actor: auth.principalOf(req).id,
      action: 'user.role',
      target: target.id,
      detail: { from: target.role, to: role },
    });
    return { ...target, role };
  });

  app.post('/api/enrolment-codes', adminOnly, async (req, reply) => {
    const { lane, ttlMinutes } = body(req.body);
    if (!isLaneId(lane)) throw httpError(400, 'bad-lane', 'lane must be 1-32 letters, digits, - or _.');
    const ttl = ttlMinutes ?? DEFAULT_CODE_TTL_MINUTES;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_CODE_TTL_MINUTES) {
      throw httpError(400, 'invalid', `ttlMinutes must be an integer 1..${MAX_CODE_TTL_MINUTES}.`);
    }
    const code = newEnrolmentCode();
    const expiresAt = new Date(Date.now() + ttl * 60_000).toISOString();
    const s = await store();
    await s.createEnrolmentCode(hashSecret(normaliseEnrolmentCode(code)), lane, expiresAt);
    await s.appendAudit({
      at: new Date().toISOString(),
      actor: auth.principalOf(req).id,
      action: 'enrolment-code.create',
      target: lane,
      detail: { expiresAt },
    });
    return reply.code(201).send({ code, lane, expiresAt });
  });
}
