import { describe, expect, it } from 'vitest';
import {
  LANE_STATE_PRIORITY,
  REASON_PROMPT_TIMED_OUT,
  REASON_SHOPPER_CALLED_GUIDE,
  initialLane,
  laneReducer,
  laneState,
  type LaneInput,
  type LaneSnapshot,
} from './laneMachine.ts';

function run(inputs: LaneInput[], start: LaneSnapshot = initialLane(), t0 = 1_000): LaneSnapshot {
  return inputs.reduce((s, input, i) => laneReducer(s, input, t0 + i * 1_000), start);
}

const everything: LaneSnapshot = {
  transactionOpen: true,
  prompt: { kind: 'itemVoided', since: 0 },
  paymentFailed: true,
  assistance: { reason: 'x', since: 0 },
  anomalySuspected: true,
  locked: true,
  online: false,
};

describe('laneState priority', () => {
  it('starts idle and online', () => {
    expect(initialLane().online).toBe(true);
    expect(laneState(initialLane())).toBe('idle');
  });

  it('lists every state exactly once, locked first and idle last', () => {
    expect(new Set(LANE_STATE_PRIORITY).size).toBe(8);
    expect(LANE_STATE_PRIORITY[0]).toBe('locked');
    expect(LANE_STATE_PRIORITY.at(-1)).toBe('idle');
  });

  it('peels conditions off in the documented order', () => {
    // Clear the top condition each step and check the next one shows through.
    const steps: [Partial<LaneSnapshot>, string][] = [
      [{}, 'locked'],
      [{ locked: false }, 'assistanceRequested'],
      [{ assistance: null }, 'suspectedAnomaly'],
      [{ anomalySuspected: false }, 'paymentFailed'],
      [{ paymentFailed: false }, 'awaitingConfirmation'],
      [{ prompt: null }, 'offline'],
      [{ online: true }, 'scanning'],
      [{ transactionOpen: false }, 'idle'],
    ];
    let s = { ...everything };
    for (const [patch, expected] of steps) {
      s = { ...s, ...patch };
      expect(laneState(s)).toBe(expected);
    }
  });

  it('never shows scanning while offline', () => {
    expect(laneState({ ...initialLane(), transactionOpen: true, online: false })).toBe('offline');
  });
});

describe('laneReducer transitions', () => {
  it('does not mutate its input', () => {
    const s0 = initialLane();
    const frozen = Object.freeze({ ...s0 });
    const s1 = laneReducer(frozen, { type: 'lock' }, 1);
    expect(s1).not.toBe(frozen);
    expect(frozen.locked).toBe(false);
    expect(s1.locked).toBe(true);
  });

  it('transactionStarted → scanning; transactionClosed → idle', () => {
    const s1 = run([{ type: 'transactionStarted' }]);
    expect(laneState(s1)).toBe('scanning');
    expect(laneState(laneReducer(s1, { type: 'transactionClosed' }, 5))).toBe('idle');
  });

  it('transactionClosed clears a failed payment but keeps a pending prompt', () => {
    const s = run([
      { type: 'transactionStarted' },
      { type: 'paymentFailed' },
      { type: 'promptShown', kind: 'transactionCancelled' },
      { type: 'transactionClosed' },
    ]);
    expect(s.paymentFailed).toBe(false);
    expect(s.prompt?.kind).toBe('transactionCancelled');
    expect(laneState(s)).toBe('awaitingConfirmation');
  });

  it('transactionStarted clears a failed payment left by the previous shopper', () => {
    const s = run([{ type: 'paymentFailed' }, { type: 'transactionStarted' }]);
    expect(s.paymentFailed).toBe(false);
    expect(laneState(s)).toBe('scanning');
  });

  it('transactionStarted keeps guide-only conditions', () => {
    const s = run([{ type: 'lock' }, { type: 'anomalySuspected' }, { type: 'transactionStarted' }]);
    expect(s.locked).toBe(true);
    expect(s.anomalySuspected).toBe(true);
    expect(laneState(s)).toBe('locked');
  });

  it('promptShown → awaitingConfirmation with the time it was shown', () => {
    const s = laneReducer(initialLane(), { type: 'promptShown', kind: 'itemVoided' }, 42);
    expect(s.prompt).toEqual({ kind: 'itemVoided', since: 42 });
    expect(laneState(s)).toBe('awaitingConfirmation');
  });

  it('re-showing the same prompt keeps its start time; a different one replaces it', () => {
    let s = laneReducer(initialLane(), { type: 'promptShown', kind: 'itemVoided' }, 10);
    s = laneReducer(s, { type: 'promptShown', kind: 'itemVoided' }, 20);
    expect(s.prompt).toEqual({ kind: 'itemVoided', since: 10 });
    s = laneReducer(s, { type: 'promptShown', kind: 'quantityReduced' }, 30);
    expect(s.prompt).toEqual({ kind: 'quantityReduced', since: 30 });
  });

  it.each(['confirmed', 'undo'] as const)('promptAnswered %s clears the prompt only', (answer) => {
    const s = run([
      { type: 'transactionStarted' },
      { type: 'promptShown', kind: 'itemVoided' },
      { type: 'promptAnswered', answer },
    ]);
    expect(s.prompt).toBeNull();
    expect(s.assistance).toBeNull();
    expect(laneState(s)).toBe('scanning');
  });

  it.each([
    ['callGuide', REASON_SHOPPER_CALLED_GUIDE],
    ['timedOut', REASON_PROMPT_TIMED_OUT],
  ] as const)('promptAnswered %s requests assistance', (answer, reason) => {
    let s = laneReducer(initialLane(), { type: 'promptShown', kind: 'paymentFailed' }, 100);
    s = laneReducer(s, { type: 'promptAnswered', answer }, 250);
    expect(s.prompt).toBeNull();
    expect(s.assistance).toEqual({ reason, since: 250, prompt: 'paymentFailed' });
    expect(laneState(s)).toBe('assistanceRequested');
  });

  it('a callGuide answer with no prompt on record still requests assistance', () => {
    const s = laneReducer(initialLane(), { type: 'promptAnswered', answer: 'callGuide' }, 7);
    expect(s.assistance).toEqual({ reason: REASON_SHOPPER_CALLED_GUIDE, since: 7 });
  });

  it('paymentFailed → paymentFailed; retried or succeeded clears it', () => {
    const failed = run([{ type: 'transactionStarted' }, { type: 'paymentFailed' }]);
    expect(laneState(failed)).toBe('paymentFailed');
    expect(laneState(laneReducer(failed, { type: 'paymentRetried' }, 9))).toBe('scanning');
    expect(laneState(laneReducer(failed, { type: 'paymentSucceeded' }, 9))).toBe('scanning');
  });

  it('assistanceRequested keeps the earliest request', () => {
    let s = laneReducer(initialLane(), { type: 'assistanceRequested', reason: 'age check' }, 5);
    s = laneReducer(s, { type: 'assistanceRequested', reason: 'bag' }, 9);
    expect(s.assistance).toEqual({ reason: 'age check', since: 5 });
    expect(laneState(s)).toBe('assistanceRequested');
  });

  it('guideCleared clears assistance, anomaly and lock, but not payment or prompt', () => {
    const s = laneReducer({ ...everything, online: true }, { type: 'guideCleared' }, 1);
    expect(s.assistance).toBeNull();
    expect(s.anomalySuspected).toBe(false);
    expect(s.locked).toBe(false);
    expect(s.paymentFailed).toBe(true);
    expect(s.prompt).not.toBeNull();
    expect(laneState(s)).toBe('paymentFailed');
  });

  it('anomalySuspected / anomalyCleared', () => {
    const s = run([{ type: 'transactionStarted' }, { type: 'anomalySuspected' }]);
    expect(laneState(s)).toBe('suspectedAnomaly');
    expect(laneState(laneReducer(s, { type: 'anomalyCleared' }, 1))).toBe('scanning');
  });

  it('lock / unlock', () => {
    const s = run([{ type: 'assistanceRequested', reason: 'r' }, { type: 'lock' }]);
    expect(laneState(s)).toBe('locked');
    // Unlocking reveals the assistance request still waiting underneath.
    expect(laneState(laneReducer(s, { type: 'unlock' }, 1))).toBe('assistanceRequested');
  });

  it('connectivity toggles offline', () => {
    const off = laneReducer(initialLane(), { type: 'connectivity', online: false }, 1);
    expect(laneState(off)).toBe('offline');
    expect(laneState(laneReducer(off, { type: 'connectivity', online: true }, 2))).toBe('idle');
  });

  it('ignores an unknown input at run time instead of throwing', () => {
    const bogus = { type: 'selfDestruct' } as unknown as LaneInput;
    const s = laneReducer(initialLane(), bogus, 1);
    expect(s).toEqual(initialLane());
  });
});
