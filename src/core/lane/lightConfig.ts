/**
 * What the light box shows for each lane state. Chains have their own colour conventions for
 * floor staff, so the mapping is configuration; the defaults below follow guide clause 7.1.3
 * (green = fine, amber = shopper busy with something, red = a guide is needed, blue = offline).
 */
import type { LaneState } from './laneMachine.ts';
import { LANE_STATE_PRIORITY } from './laneMachine.ts';

export const LIGHT_COLORS = ['off', 'green', 'amber', 'red', 'blue', 'white'] as const;
export const LIGHT_PATTERNS = ['steady', 'flash', 'fastFlash'] as const;

export type LightColor = (typeof LIGHT_COLORS)[number];
export type LightPattern = (typeof LIGHT_PATTERNS)[number];

export type LightOutput = { color: LightColor; pattern: LightPattern };
export type LightConfig = Record<LaneState, LightOutput>;

/**
 * States that send a guide walking. The config may not show them green or off, or a guide
 * scanning the floor would walk past a lane that needs them.
 */
export const ATTENTION_STATES: readonly LaneState[] = [
  'locked',
  'assistanceRequested',
  'suspectedAnomaly',
  'paymentFailed',
];

const defaults: LightConfig = {
  idle: { color: 'green', pattern: 'steady' },
  scanning: { color: 'green', pattern: 'steady' },
  awaitingConfirmation: { color: 'amber', pattern: 'steady' },
  paymentFailed: { color: 'amber', pattern: 'flash' },
  suspectedAnomaly: { color: 'red', pattern: 'steady' },
  assistanceRequested: { color: 'red', pattern: 'flash' },
  locked: { color: 'red', pattern: 'fastFlash' },
  offline: { color: 'blue', pattern: 'steady' },
};
for (const entry of Object.values(defaults)) Object.freeze(entry);

/** Frozen all the way down: it is shared by every lane and must not be edited in place. */
export const DEFAULT_LIGHT_CONFIG: Readonly<LightConfig> = Object.freeze(defaults);

export class LightConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid lane light configuration:\n- ${issues.join('\n- ')}`);
    this.name = 'LightConfigError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

function quoted(list: readonly string[]): string {
  return list.map((x) => `"${x}"`).join(', ');
}

/** Validates one state's override; fields left out keep the base value. */
function mergeEntry(state: LaneState, raw: unknown, base: LightOutput, issues: string[]): LightOutput {
  if (!isRecord(raw)) {
    issues.push(`"${state}" must be an object like { "color": "red", "pattern": "flash" }`);
    return base;
  }
  const out = { ...base };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'color') {
      if (isOneOf(LIGHT_COLORS, value)) out.color = value;
      else
        issues.push(`"${state}.color" is ${JSON.stringify(value)}; expected one of ${quoted(LIGHT_COLORS)}`);
    } else if (key === 'pattern') {
      if (isOneOf(LIGHT_PATTERNS, value)) out.pattern = value;
      else
        issues.push(
          `"${state}.pattern" is ${JSON.stringify(value)}; expected one of ${quoted(LIGHT_PATTERNS)}`,
        );
    } else {
      issues.push(`"${state}" has unknown field "${key}"; expected "color" and/or "pattern"`);
    }
  }
  return out;
}

/**
 * Merges a chain's override (parsed JSON, hence `unknown`) over `base`. States left out keep the
 * base output, and within a state a missing colour or pattern keeps the base one. `undefined` and
 * `null` mean "no override". Every problem is collected and thrown as one LightConfigError so an
 * operator fixes the file in one go.
 */
export function mergeLightConfig(
  partial: unknown,
  base: Readonly<LightConfig> = DEFAULT_LIGHT_CONFIG,
): LightConfig {
  const merged = Object.fromEntries(
    LANE_STATE_PRIORITY.map((state) => [state, { ...base[state] }]),
  ) as LightConfig;
  if (partial === undefined || partial === null) return merged;
  if (!isRecord(partial)) {
    throw new LightConfigError(['the lane light override must be a JSON object keyed by lane state']);
  }
  const issues: string[] = [];
  for (const [key, value] of Object.entries(partial)) {
    if (isOneOf(LANE_STATE_PRIORITY, key)) merged[key] = mergeEntry(key, value, merged[key], issues);
    else issues.push(`unknown lane state "${key}"; expected one of ${quoted(LANE_STATE_PRIORITY)}`);
  }
  for (const state of ATTENTION_STATES) {
    const { color } = merged[state];
    if (color === 'green' || color === 'off') {
      issues.push(`"${state}" needs a guide and may not be "${color}"`);
    }
  }
  if (issues.length > 0) throw new LightConfigError(issues);
  return merged;
}

/** Returns a copy so a driver holding on to it cannot alter the configuration. */
export function lightFor(
  state: LaneState,
  config: Readonly<LightConfig> = DEFAULT_LIGHT_CONFIG,
): LightOutput {
  return { ...config[state] };
}

export function sameOutput(a: LightOutput, b: LightOutput): boolean {
  return a.color === b.color && a.pattern === b.pattern;
}
