/**
 * Run-time check of perception events at the worker boundary. The worker is a separate thread
 * (and may be a separate build), so the engine must not trust its messages blindly: a NaN time or
 * a confidence of 7 would silently poison every rule. Hand-written rather than schema-driven
 * because the contract is small and this runs for every frame-derived event.
 */
import { PERCEPTION_CONTRACT_VERSION, PERCEPTION_EVENT_TYPES, type PerceptionEvent } from './events.ts';

export type PerceptionValidation = { ok: true; event: PerceptionEvent } | { ok: false; errors: string[] };

type Check = (value: unknown) => boolean;

const isNum: Check = (x) => typeof x === 'number' && Number.isFinite(x);
const isUnit: Check = (x) => isNum(x) && (x as number) >= 0 && (x as number) <= 1;
const isTrackId: Check = (x) => Number.isInteger(x);
const isBool: Check = (x) => typeof x === 'boolean';
const isStr: Check = (x) => typeof x === 'string';
const oneOf =
  (...values: string[]): Check =>
  (x) =>
    typeof x === 'string' && values.includes(x);
const isCount: Check = (x) => Number.isInteger(x) && (x as number) >= 0;
const isHist: Check = (x) => Array.isArray(x) && x.every(isUnit);

/** Field checks per type; `?` marks optional fields. */
const FIELDS: Readonly<Record<PerceptionEvent['type'], Readonly<Record<string, Check>>>> = {
  itemPassedScanner: {
    trackId: isTrackId,
    fromZone: oneOf('pickup', 'unknown'),
    holdingItem: isBool,
    'dwellMs?': (x) => isNum(x) && (x as number) >= 0,
  },
  scanMotion: { trackId: isTrackId },
  itemMovedPickupToBagging: { trackId: isTrackId, viaScanner: isBool },
  itemPlacedInBagging: {
    trackId: isTrackId,
    'count?': (x) => isCount(x) && (x as number) >= 1,
    'countConfidence?': isUnit,
    'fromZone?': oneOf('pickup', 'scanner', 'outside', 'unknown'),
  },
  itemRemovedFromBagging: { trackId: isTrackId, toZone: oneOf('pickup', 'exit', 'unknown') },
  handsInScanner: { count: isCount },
  itemAppearance: {
    trackId: isTrackId,
    'labelText?': isStr,
    'colorHist?': isHist,
    'sizeClass?': oneOf('small', 'medium', 'large'),
    'matchGtin?': isStr,
    'matchScore?': isUnit,
  },
  nonItemObject: { trackId: isTrackId, kind: oneOf('bag', 'phone', 'wallet', 'child', 'unknown') },
  shopperLeft: {},
};

const KNOWN: ReadonlySet<string> = new Set(PERCEPTION_EVENT_TYPES);

/** Checks one event; never throws. On success the event is a shallow copy of the input. */
export function validatePerceptionEvent(raw: unknown): PerceptionValidation {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: ['event: must be an object'] };
  }
  const obj = raw as Record<string, unknown>;
  const errors: string[] = [];
  if (obj.v !== PERCEPTION_CONTRACT_VERSION) errors.push('v: must be 1');
  if (typeof obj.type !== 'string' || !KNOWN.has(obj.type)) {
    return { ok: false, errors: [...errors, 'type: unknown perception event type'] };
  }
  for (const key of ['atMs', 'startMs', 'endMs']) {
    if (!isNum(obj[key])) errors.push(`${key}: must be a finite number`);
  }
  if (!isUnit(obj.confidence)) errors.push('confidence: must be a number in 0..1');
  if (isNum(obj.startMs) && isNum(obj.endMs) && (obj.startMs as number) > (obj.endMs as number)) {
    errors.push('startMs: must not be after endMs');
  }
  const fields = FIELDS[obj.type as PerceptionEvent['type']];
  for (const [spec, check] of Object.entries(fields)) {
    const optional = spec.endsWith('?');
    const key = optional ? spec.slice(0, -1) : spec;
    const value = obj[key];
    if (value === undefined) {
      if (!optional) errors.push(`${key}: is required`);
    } else if (!check(value)) {
      errors.push(`${key}: has the wrong type or range`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, event: { ...obj } as unknown as PerceptionEvent };
}
