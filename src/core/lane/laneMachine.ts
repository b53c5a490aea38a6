/**
 * Lane state for the light box over a self-checkout kiosk (guide clauses 6.1.4 and 7.1.3): floor
 * guides look at the light to know which lane needs them.
 *
 * Several things can be true at once (a payment failed while the lane is offline and the shopper
 * pressed "call guide"), so the machine does not hop between exclusive states. It keeps a snapshot
 * of independent conditions and derives the one state to display by a fixed priority. Clearing one
 * condition then naturally reveals the next most important one instead of dropping to "scanning".
 */
import type { PromptAnswer, PromptKind } from '../pos/events.ts';

export type LaneState =
  | 'idle'
  | 'scanning'
  | 'awaitingConfirmation'
  | 'assistanceRequested'
  | 'suspectedAnomaly'
  | 'paymentFailed'
  | 'locked'
  | 'offline';

/**
 * Display priority, most important first. Anything that needs a guide walking over outranks what
 * the shopper can resolve alone (paymentFailed, awaitingConfirmation); offline ranks below those
 * because the shopper's blocking prompt is still the thing to deal with at the lane, but above
 * plain scanning so a disconnected lane is never shown as healthy.
 */
export const LANE_STATE_PRIORITY: readonly LaneState[] = [
  'locked',
  'assistanceRequested',
  'suspectedAnomaly',
  'paymentFailed',
  'awaitingConfirmation',
  'offline',
  'scanning',
  'idle',
];

/** Assistance reason used when the shopper pressed "call guide" on a blocking prompt. */
export const REASON_SHOPPER_CALLED_GUIDE = 'shopperCalledGuide';
/** Assistance reason used when nobody answered a blocking prompt in time. */
export const REASON_PROMPT_TIMED_OUT = 'promptTimedOut';

export interface PendingPrompt {
  kind: PromptKind;
  /** When the prompt was first shown (ms, caller's clock), to tell guides how long it waited. */
  since: number;
}

export interface AssistanceRequest {
  /** Free text from the POS, or one of the REASON_* constants. */
  reason: string;
  since: number;
  /** The prompt that led to the request, when it came from a prompt answer. */
  prompt?: PromptKind;
}

export interface LaneSnapshot {
  transactionOpen: boolean;
  prompt: PendingPrompt | null;
  paymentFailed: boolean;
  assistance: AssistanceRequest | null;
  anomalySuspected: boolean;
  locked: boolean;
  online: boolean;
}

export type LaneInput =
  | { type: 'transactionStarted' }
  /** Ended or cancelled: either way the shopper's basket is gone. */
  | { type: 'transactionClosed' }
  | { type: 'promptShown'; kind: PromptKind }
  | { type: 'promptAnswered'; answer: PromptAnswer }
  | { type: 'paymentFailed' }
  | { type: 'paymentRetried' }
  | { type: 'paymentSucceeded' }
  | { type: 'assistanceRequested'; reason: string }
  /** A guide attended the lane and acknowledged it on the kiosk or handheld. */
  | { type: 'guideCleared' }
  | { type: 'anomalySuspected' }
  | { type: 'anomalyCleared' }
  | { type: 'lock' }
  | { type: 'unlock' }
  | { type: 'connectivity'; online: boolean };

/**
 * Starts online: the connectivity monitor reports within seconds, and starting offline would flash
 * the offline colour over every lane on each page reload.
 */
export function initialLane(): LaneSnapshot {
  return {
    transactionOpen: false,
    prompt: null,
    paymentFailed: false,
    assistance: null,
    anomalySuspected: false,
    locked: false,
    online: true,
  };
}

const HOLDS: Record<LaneState, (s: LaneSnapshot) => boolean> = {
  locked: (s) => s.locked,
  assistanceRequested: (s) => s.assistance !== null,
  suspectedAnomaly: (s) => s.anomalySuspected,
  paymentFailed: (s) => s.paymentFailed,
  awaitingConfirmation: (s) => s.prompt !== null,
  offline: (s) => !s.online,
  scanning: (s) => s.transactionOpen,
  idle: () => true,
};

/** The state to display: the first in LANE_STATE_PRIORITY whose condition holds. */
export function laneState(snapshot: LaneSnapshot): LaneState {
  return LANE_STATE_PRIORITY.find((state) => HOLDS[state](snapshot)) ?? 'idle';
}

/** Keeps an earlier request: the guide should see how long the lane has really been waiting. */
function requestAssistance(current: AssistanceRequest | null, next: AssistanceRequest): AssistanceRequest {
  return current ?? next;
}

/** Pure: returns a new snapshot and never mutates the one given. */
export function laneReducer(snapshot: LaneSnapshot, input: LaneInput, nowMs: number): LaneSnapshot {
  const s = { ...snapshot };
  switch (input.type) {
    case 'transactionStarted':
      // A new shopper must not inherit the previous shopper's failed payment. Guide-only
      // conditions (assistance, anomaly, lock) survive: only a guide may clear them.
      s.transactionOpen = true;
      s.paymentFailed = false;
      return s;
    case 'transactionClosed':
      // The failed payment belonged to the closed basket. A pending prompt stays until it is
      // answered: the cancel confirm is itself a prompt and may still be on screen.
      s.transactionOpen = false;
      s.paymentFailed = false;
      return s;
    case 'promptShown':
      // Re-showing the same prompt (e.g. after a screen refresh) keeps its original start time.
      s.prompt = s.prompt?.kind === input.kind ? s.prompt : { kind: input.kind, since: nowMs };
      return s;
    case 'promptAnswered': {
      const kind = s.prompt?.kind;
      s.prompt = null;
      const reason =
        input.answer === 'callGuide'
          ? REASON_SHOPPER_CALLED_GUIDE
          : input.answer === 'timedOut'
            ? REASON_PROMPT_TIMED_OUT
            : null;
      if (reason !== null) {
        const request: AssistanceRequest = { reason, since: nowMs };
        if (kind !== undefined) request.prompt = kind;
        s.assistance = requestAssistance(s.assistance, request);
      }
      return s;
    }
    case 'paymentFailed':
      s.paymentFailed = true;
      return s;
    case 'paymentRetried':
    case 'paymentSucceeded':
      s.paymentFailed = false;
      return s;
    case 'assistanceRequested':
      s.assistance = requestAssistance(s.assistance, { reason: input.reason, since: nowMs });
      return s;
    case 'guideCleared':
      // The guide is standing at the lane: everything that called them is resolved. Payment and
      // prompt state are the POS's and the shopper's, so they stay.
      s.assistance = null;
      s.anomalySuspected = false;
      s.locked = false;
      return s;
    case 'anomalySuspected':
      s.anomalySuspected = true;
      return s;
    case 'anomalyCleared':
      s.anomalySuspected = false;
      return s;
    case 'lock':
      s.locked = true;
      return s;
    case 'unlock':
      s.locked = false;
      return s;
    case 'connectivity':
      s.online = input.online;
      return s;
    default: {
      // Compile-time exhaustiveness; at run time an unknown input (e.g. from a newer server)
      // leaves the light as it is rather than crashing the kiosk.
      const _unknown: never = input;
      return s;
    }
  }
}
