import { describe, expect, it } from 'vitest';
import { LANE_STATE_PRIORITY } from './laneMachine.ts';
import {
  ATTENTION_STATES,
  DEFAULT_LIGHT_CONFIG,
  LightConfigError,
  lightFor,
  mergeLightConfig,
  sameOutput,
} from './lightConfig.ts';

function issuesOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof LightConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a LightConfigError');
}

describe('DEFAULT_LIGHT_CONFIG', () => {
  it('maps every state as documented', () => {
    expect(DEFAULT_LIGHT_CONFIG).toEqual({
      idle: { color: 'green', pattern: 'steady' },
      scanning: { color: 'green', pattern: 'steady' },
      awaitingConfirmation: { color: 'amber', pattern: 'steady' },
      paymentFailed: { color: 'amber', pattern: 'flash' },
      suspectedAnomaly: { color: 'red', pattern: 'steady' },
      assistanceRequested: { color: 'red', pattern: 'flash' },
      locked: { color: 'red', pattern: 'fastFlash' },
      offline: { color: 'blue', pattern: 'steady' },
    });
  });

  it('cannot be edited in place, even through lightFor', () => {
    expect(Object.isFrozen(DEFAULT_LIGHT_CONFIG.idle)).toBe(true);
    const out = lightFor('idle');
    out.color = 'red';
    expect(DEFAULT_LIGHT_CONFIG.idle.color).toBe('green');
  });

  it('never shows an attention state green or off', () => {
    for (const state of ATTENTION_STATES) {
      expect(['green', 'off']).not.toContain(DEFAULT_LIGHT_CONFIG[state].color);
    }
  });
});

describe('mergeLightConfig', () => {
  it('returns the defaults for undefined or null, as a fresh copy', () => {
    const merged = mergeLightConfig(undefined);
    expect(merged).toEqual(DEFAULT_LIGHT_CONFIG);
    expect(merged.idle).not.toBe(DEFAULT_LIGHT_CONFIG.idle);
    expect(mergeLightConfig(null)).toEqual(DEFAULT_LIGHT_CONFIG);
  });

  it('overrides whole and partial entries and keeps the rest', () => {
    const merged = mergeLightConfig({
      idle: { color: 'off', pattern: 'steady' },
      offline: { pattern: 'flash' },
      awaitingConfirmation: { color: 'white' },
    });
    expect(merged.idle).toEqual({ color: 'off', pattern: 'steady' });
    expect(merged.offline).toEqual({ color: 'blue', pattern: 'flash' });
    expect(merged.awaitingConfirmation).toEqual({ color: 'white', pattern: 'steady' });
    expect(merged.locked).toEqual(DEFAULT_LIGHT_CONFIG.locked);
  });

  it('rejects a non-object override', () => {
    expect(issuesOf(() => mergeLightConfig([]))).toEqual([
      'the lane light override must be a JSON object keyed by lane state',
    ]);
    expect(() => mergeLightConfig('red')).toThrow(LightConfigError);
  });

  it('collects every problem with a clear message', () => {
    const issues = issuesOf(() =>
      mergeLightConfig({
        idel: { color: 'green' },
        idle: { color: 'purple' },
        scanning: { pattern: 'strobe' },
        offline: 'blue',
        locked: { colour: 'red' },
      }),
    );
    expect(issues).toEqual([
      expect.stringContaining('unknown lane state "idel"'),
      '"idle.color" is "purple"; expected one of "off", "green", "amber", "red", "blue", "white"',
      '"scanning.pattern" is "strobe"; expected one of "steady", "flash", "fastFlash"',
      '"offline" must be an object like { "color": "red", "pattern": "flash" }',
      '"locked" has unknown field "colour"; expected "color" and/or "pattern"',
    ]);
  });

  it('puts the issues in the error message too', () => {
    expect(() => mergeLightConfig({ idle: { color: 7 } })).toThrow(/"idle.color" is 7/);
  });

  it('refuses to show a state that needs a guide as green or off', () => {
    expect(
      issuesOf(() => mergeLightConfig({ assistanceRequested: { color: 'green' }, locked: { color: 'off' } })),
    ).toEqual([
      '"locked" needs a guide and may not be "off"',
      '"assistanceRequested" needs a guide and may not be "green"',
    ]);
  });

  it('merges over a given base instead of the defaults', () => {
    const base = mergeLightConfig({ idle: { color: 'off' } });
    expect(mergeLightConfig({ scanning: { color: 'white' } }, base).idle.color).toBe('off');
  });

  it('covers every lane state', () => {
    expect(Object.keys(mergeLightConfig({})).sort()).toEqual([...LANE_STATE_PRIORITY].sort());
  });
});

describe('lightFor / sameOutput', () => {
  it('looks a state up in the config given', () => {
    const config = mergeLightConfig({ scanning: { color: 'white', pattern: 'flash' } });
    expect(lightFor('scanning', config)).toEqual({ color: 'white', pattern: 'flash' });
    expect(lightFor('locked')).toEqual({ color: 'red', pattern: 'fastFlash' });
  });

  it('compares outputs by value', () => {
    expect(sameOutput(lightFor('idle'), lightFor('scanning'))).toBe(true);
    expect(sameOutput(lightFor('idle'), lightFor('offline'))).toBe(false);
  });
});
