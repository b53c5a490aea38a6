import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ESCALATION_CONFIG,
  escalate,
  initialEscalationState,
  type EscalationCommand,
  type EscalationConfig,
  type EscalationInput,
  type EscalationState,
} from './escalation.ts';
import type { Suspicion, SuspicionType } from './types.ts';

function suspicion(id: string, type: SuspicionType = 'missedScan', raisedAtMs = 1000, txn = 'T1'): Suspicion {
  return {
    id,
    type,
    txn,
    confidence: 0.9,
    rule: type === 'unpaid' ? 'unpaid.leftWithGoods' : 'missedScan.noBeep',
    explanation: 'An item passed over the scanner but no scan was registered.',
    evidence: { startMs: raisedAtMs - 3000, endMs: raisedAtMs - 1000, trackIds: [4], posSeqs: [] },
    raisedAtMs,
    latencyMs: 1000,
    windowClosedMs: raisedAtMs,
  };
}

function play(inputs: EscalationInput[], config: EscalationConfig = DEFAULT_ESCALATION_CONFIG) {
  let state: EscalationState = initialEscalationState();
  const commands: EscalationCommand[] = [];
  for (const input of inputs) {
    const step = escalate(state, input, config);
    state = step.state;
    commands.push(...step.commands);
  }
  return { state, commands };
}

describe('escalate', () => {
  it('nudges on the first suspicion with the replay frames and the voice prompt', () => {
    const { commands, state } = play([{ kind: 'suspicion', suspicion: suspicion('s1') }]);
    expect(commands).toEqual([
      {
        type: 'nudge',
        txn: 'T1',
        suspicionId: 's1',
        voice: 'nudgeCheckScan',
        replay: { startMs: -2000, endMs: 0, trackIds: [4] },
        message: expect.not.stringMatching(/theft|steal/i) as unknown as string,
      },
    ]);
    expect(state.alerted).toBe(false);
  });

  it('clears the nudge when the shopper corrects it, and the next one is a nudge again', () => {
    const s1 = suspicion('s1');
    const { commands } = play([
      { kind: 'suspicion', suspicion: s1 },
      { kind: 'suspicion', suspicion: { ...s1, resolved: 'selfCorrected', resolvedAtMs: 3000 } },
      { kind: 'tick', nowMs: 20_000 },
      { kind: 'suspicion', suspicion: suspicion('s2', 'noScan', 30_000) },
    ]);
    expect(commands.map((c) => c.type)).toEqual(['nudge', 'selfCorrected', 'nudge']);
  });

  it('calls the guide when a nudge is not acted on within nudgeTimeoutMs', () => {
    const { commands, state } = play([
      { kind: 'suspicion', suspicion: suspicion('s1', 'missedScan', 1000) },
      { kind: 'tick', nowMs: 1000 + DEFAULT_ESCALATION_CONFIG.nudgeTimeoutMs - 1 },
      { kind: 'tick', nowMs: 1000 + DEFAULT_ESCALATION_CONFIG.nudgeTimeoutMs },
      { kind: 'tick', nowMs: 60_000 },
    ]);
    expect(commands.map((c) => c.type)).toEqual(['nudge', 'alertGuide']);
    expect(commands[1]).toMatchObject({
      light: 'suspectedAnomaly',
      reason: 'nudgeTimeout',
      suspicionIds: ['s1'],
    });
    expect(state.alerted).toBe(true);
  });

  it('calls the guide on a second unresolved suspicion, and locks only when configured', () => {
    const inputs: EscalationInput[] = [
      { kind: 'suspicion', suspicion: suspicion('s1', 'missedScan', 1000) },
      { kind: 'suspicion', suspicion: suspicion('s2', 'wrongScan', 2000) },
    ];
    const plain = play(inputs);
    expect(plain.commands.map((c) => c.type)).toEqual(['nudge', 'alertGuide']);
    expect(plain.commands[1]).toMatchObject({ reason: 'secondSuspicion', suspicionIds: ['s1', 's2'] });
    const strict = play(inputs, { ...DEFAULT_ESCALATION_CONFIG, lockOnSecond: true });
    expect(strict.commands.map((c) => c.type)).toEqual(['nudge', 'alertGuide', 'lock']);
    expect(strict.state.locked).toBe(true);
  });

  it('goes straight to the guide for an unpaid order (the shopper has left)', () => {
    const { commands } = play([{ kind: 'suspicion', suspicion: suspicion('u1', 'unpaid') }]);
    expect(commands).toEqual([
      {
        type: 'alertGuide',
        txn: 'T1',
        light: 'suspectedAnomaly',
        suspicionIds: ['u1'],
        reason: 'noNudgePossible',
      },
    ]);
  });

  it('starts afresh for a new transaction and ignores records of the old one', () => {
    const { commands, state } = play([
      { kind: 'suspicion', suspicion: suspicion('s1', 'missedScan', 1000, 'T1') },
      { kind: 'txnStarted', txn: 'T2' },
      { kind: 'suspicion', suspicion: { ...suspicion('s1'), resolved: 'selfCorrected' } },
      { kind: 'suspicion', suspicion: suspicion('s3', 'noScan', 50_000, 'T2') },
    ]);
    expect(commands.map((c) => c.type)).toEqual(['nudge', 'nudge']);
    expect(state.txn).toBe('T2');
  });

  it('withdraws a retracted suspicion and records low-confidence ones silently', () => {
    const s1 = suspicion('s1');
    const config = { ...DEFAULT_ESCALATION_CONFIG, minConfidence: 0.95 };
    expect(play([{ kind: 'suspicion', suspicion: s1 }], config).commands).toEqual([]);
    const { commands } = play([
      { kind: 'suspicion', suspicion: s1 },
      { kind: 'suspicion', suspicion: { ...s1, resolved: 'retracted' } },
    ]);
    expect(commands.map((c) => c.type)).toEqual(['nudge', 'withdrawn']);
  });

  it('never mutates the state it is given', () => {
    const state = initialEscalationState('T1');
    const frozen = JSON.stringify(state);
    escalate(state, { kind: 'suspicion', suspicion: suspicion('s1') });
    expect(JSON.stringify(state)).toBe(frozen);
  });
});
