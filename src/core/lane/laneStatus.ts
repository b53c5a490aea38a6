import type { PromptAnswer, PromptKind } from '../pos/events.ts';
import { LANE_STATE_PRIORITY, type LaneState } from './laneMachine.ts';
import { LIGHT_COLORS, LIGHT_PATTERNS, type LightOutput } from './lightConfig.ts';

/** What a kiosk publishes about its lane for the guide wall: the state, the light, the latest prompt. */
export interface LaneStatus {
  lane: string;
  state: LaneState;
  light: LightOutput;
  txn?: string;
  prompt?: { kind: PromptKind; shownAt: string; answer?: PromptAnswer; answeredAt?: string };
  /** Kiosk clock when the status was produced. */
  at: string;
  /** Server clock when it was received. */
  receivedAt: string;
}

const STATES = new Set<string>(LANE_STATE_PRIORITY);
const COLORS = new Set<string>(LIGHT_COLORS);
const PATTERNS = new Set<string>(LIGHT_PATTERNS);

/** Validates a status body from a kiosk; strings are clipped so a bad client cannot bloat the board. */
export function parseLaneStatus(
  lane: string,
  body: unknown,
  receivedAt: string,
): { ok: true; status: LaneStatus } | { ok: false; error: string } {
  if (typeof body !== 'object' || body === null) return { ok: false, error: 'body must be a JSON object' };
  const b = body as Record<string, unknown>;
  const light = b.light as Record<string, unknown> | undefined;
  if (typeof b.state !== 'string' || !STATES.has(b.state)) {
    return { ok: false, error: `unknown state "${String(b.state)}"` };
  }
  if (!light || !COLORS.has(String(light.color)) || !PATTERNS.has(String(light.pattern))) {
    return { ok: false, error: 'light must be {color, pattern} with a known colour and pattern' };
  }
  if (typeof b.at !== 'string' || Number.isNaN(Date.parse(b.at))) {
    return { ok: false, error: 'at must be an ISO date' };
  }
  const status: LaneStatus = {
    lane,
    state: b.state as LaneState,
    light: { color: light.color, pattern: light.pattern } as LightOutput,
    at: b.at,
    receivedAt,
  };
  if (typeof b.txn === 'string') status.txn = b.txn.slice(0, 64);
  const p = b.prompt as Record<string, unknown> | undefined;
  if (p && typeof p.kind === 'string' && typeof p.shownAt === 'string') {
    status.prompt = { kind: p.kind.slice(0, 40) as PromptKind, shownAt: p.shownAt };
    if (typeof p.answer === 'string') status.prompt.answer = p.answer.slice(0, 40) as PromptAnswer;
    if (typeof p.answeredAt === 'string') status.prompt.answeredAt = p.answeredAt;
  }
  return { ok: true, status };
}
