/**
 * What the lane does about suspicions: a pure reducer, so each chain's policy is configuration and
 * every step can be replayed in tests and audits.
 *
 * Default policy (guide: nudge first, never accuse):
 *  1. first open suspicion of a transaction -> 'nudge': non-accusatory replay of the frames on the
 *     shopper screen plus the voice prompt 'nudgeCheckScan';
 *  2. the shopper fixes it (matching scan, item put back, payment) -> 'selfCorrected', screen clears;
 *  3. a second unresolved suspicion, or no fix within nudgeTimeoutMs -> 'alertGuide' (lane light
 *     'suspectedAnomaly': the host feeds the lane machine { type: 'anomalySuspected' }), plus
 *     'lock' (lane machine { type: 'lock' }) on a second suspicion when lockOnSecond is set;
 *  4. types where the shopper can no longer be nudged (unpaid: they left) go straight to the guide.
 */
import type { Suspicion, SuspicionType } from './types.ts';

export interface EscalationConfig {
  /** Time the shopper gets to react to a nudge before the guide is called. */
  nudgeTimeoutMs: number;
  /** Lock the lane (guide must unlock) on a second unresolved suspicion instead of only alerting. */
  lockOnSecond: boolean;
  /** Types that skip the nudge. */
  alertDirectly: readonly SuspicionType[];
  /** Suspicions below this confidence are recorded but trigger nothing. */
  minConfidence: number;
}

export const DEFAULT_ESCALATION_CONFIG: Readonly<EscalationConfig> = {
  nudgeTimeoutMs: 8000,
  lockOnSecond: false,
  alertDirectly: ['unpaid'],
  minConfidence: 0,
};

export type ItemStatus = 'nudged' | 'escalated' | 'selfCorrected' | 'retracted' | 'ignored';

export interface EscalationItem {
  id: string;
  type: SuspicionType;
  raisedAtMs: number;
  status: ItemStatus;
}

export interface EscalationState {
  txn: string | null;
  items: readonly EscalationItem[];
  alerted: boolean;
  locked: boolean;
}

export type EscalationInput =
  | { kind: 'suspicion'; suspicion: Suspicion }
  | { kind: 'tick'; nowMs: number }
  | { kind: 'txnStarted'; txn: string };

export type AlertReason = 'secondSuspicion' | 'nudgeTimeout' | 'noNudgePossible';

export type EscalationCommand =
  | {
      type: 'nudge';
      txn: string;
      suspicionId: string;
      voice: 'nudgeCheckScan';
      replay: { startMs: number; endMs: number; trackIds: readonly number[] };
      message: string;
    }
  | { type: 'selfCorrected'; txn: string; suspicionId: string }
  | { type: 'withdrawn'; txn: string; suspicionId: string }
  | {
      type: 'alertGuide';
      txn: string;
      light: 'suspectedAnomaly';
      suspicionIds: string[];
      reason: AlertReason;
    }
  | { type: 'lock'; txn: string; suspicionIds: string[]; reason: AlertReason };

export interface EscalationStep {
  state: EscalationState;
  commands: EscalationCommand[];
}

/** Shown with the replay: asks, does not accuse. */
export const NUDGE_MESSAGE = 'Please check that every item was scanned. Tap "Help" if you need a hand.';

export function initialEscalationState(txn: string | null = null): EscalationState {
  return { txn, items: [], alerted: false, locked: false };
}

const isUnresolved = (i: EscalationItem): boolean => i.status === 'nudged' || i.status === 'escalated';

export function escalate(
  state: EscalationState,
  input: EscalationInput,
  config: EscalationConfig = DEFAULT_ESCALATION_CONFIG,
): EscalationStep {
  switch (input.kind) {
    case 'txnStarted':
      return { state: initialEscalationState(input.txn), commands: [] };
    case 'tick':
      return onTick(state, input.nowMs, config);
    case 'suspicion':
      return input.suspicion.resolved
        ? onResolution(state, input.suspicion)
        : onRaised(state, input.suspicion, config);
  }
}

function onRaised(prev: EscalationState, s: Suspicion, config: EscalationConfig): EscalationStep {
  const state = prev.txn === s.txn ? prev : initialEscalationState(s.txn);
  if (state.items.some((i) => i.id === s.id)) return { state, commands: [] };
  const item: EscalationItem = { id: s.id, type: s.type, raisedAtMs: s.raisedAtMs, status: 'ignored' };
  if (s.confidence < config.minConfidence || state.locked) {
    return { state: { ...state, items: [...state.items, item] }, commands: [] };
  }
  const open = state.items.filter(isUnresolved);
  let reason: AlertReason | undefined;
  if (config.alertDirectly.includes(s.type)) reason = 'noNudgePossible';
  else if (open.length > 0) reason = 'secondSuspicion';

  if (reason === undefined) {
    const nudge: EscalationCommand = {
      type: 'nudge',
      txn: s.txn,
      suspicionId: s.id,
      voice: 'nudgeCheckScan',
      replay: { startMs: s.evidence.startMs, endMs: s.evidence.endMs, trackIds: s.evidence.trackIds },
      message: NUDGE_MESSAGE,
    };
    return { state: { ...state, items: [...state.items, { ...item, status: 'nudged' }] }, commands: [nudge] };
  }
  const ids = [...open.map((i) => i.id), s.id];
  const items = [...state.items.map((i) => (isUnresolved(i) ? { ...i, status: 'escalated' as const } : i))];
  items.push({ ...item, status: 'escalated' });
  const commands: EscalationCommand[] = [
    { type: 'alertGuide', txn: s.txn, light: 'suspectedAnomaly', suspicionIds: ids, reason },
  ];
  const lock = config.lockOnSecond && reason === 'secondSuspicion';
  if (lock) commands.push({ type: 'lock', txn: s.txn, suspicionIds: ids, reason });
  return { state: { ...state, items, alerted: true, locked: state.locked || lock }, commands };
}

function onResolution(state: EscalationState, s: Suspicion): EscalationStep {
  const item = state.txn === s.txn ? state.items.find((i) => i.id === s.id) : undefined;
  if (!item || !isUnresolved(item)) return { state, commands: [] };
  const status: ItemStatus = s.resolved === 'retracted' ? 'retracted' : 'selfCorrected';
  const items = state.items.map((i) => (i.id === s.id ? { ...i, status } : i));
  // The guide light stays once on: staff clear it after looking, not the shopper.
  const command: EscalationCommand =
    status === 'selfCorrected'
      ? { type: 'selfCorrected', txn: s.txn, suspicionId: s.id }
      : { type: 'withdrawn', txn: s.txn, suspicionId: s.id };
  return { state: { ...state, items }, commands: [command] };
}

function onTick(state: EscalationState, nowMs: number, config: EscalationConfig): EscalationStep {
  const late = state.items.filter(
    (i) => i.status === 'nudged' && nowMs - i.raisedAtMs >= config.nudgeTimeoutMs,
  );
  if (late.length === 0 || state.txn === null) return { state, commands: [] };
  const ids = new Set(late.map((i) => i.id));
  const items = state.items.map((i) => (ids.has(i.id) ? { ...i, status: 'escalated' as const } : i));
  return {
    state: { ...state, items, alerted: true },
    commands: [
      {
        type: 'alertGuide',
        txn: state.txn,
        light: 'suspectedAnomaly',
        suspicionIds: [...ids],
        reason: 'nudgeTimeout',
      },
    ],
  };
}
