/**
 * Run-time validation of POS events against docs/pos-event.schema.json, the one source of truth
 * shared with POS integrators. Everything from the POS, the HTTP relay and other windows goes
 * through here before the order model sees it.
 *
 * Ajv compiles the schema to a function once, at module load. That uses `new Function`, so a page
 * served with a Content-Security-Policy needs 'unsafe-eval' for script-src (or a precompiled
 * standalone validator) where this module runs.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import schema from '../../../docs/pos-event.schema.json' with { type: 'json' };
import { POS_EVENT_TYPES, PROTOCOL_VERSION, type PosEvent } from './events.ts';

export type ValidationCode = 'invalid' | 'unsupported-version' | 'unknown-type';

export type ValidationResult =
  { ok: true; event: PosEvent } | { ok: false; code: ValidationCode; errors: string[] };

/** Largest batch the HTTP relay takes in one request. */
export const MAX_EVENTS_PER_PAYLOAD = 500;

// Nesting is only legal inside "x-" extension values; anything deeper is hostile or broken.
const MAX_DEPTH = 16;

const ajv = new Ajv({ allErrors: true, discriminator: true });
addFormats(ajv, ['date-time']);
const validateSchema = ajv.compile(schema);

const KNOWN_TYPES: ReadonlySet<string> = new Set(POS_EVENT_TYPES);

/** Messages for pattern and format failures, where Ajv would only echo a regular expression. */
const FORMAT_HINTS: Readonly<Record<string, string>> = {
  gtin: 'must be 8, 12, 13 or 14 digits',
  lane: 'must contain only letters, digits, "-" and "_"',
  at: 'must be an ISO-8601 date-time with a time zone, e.g. 2025-03-01T09:30:00+08:00',
};

/**
 * Checks one event. Never throws. On success `event` is a fresh plain copy of the input, so later
 * changes to the caller's object cannot reach an order. Error strings never echo field values:
 * they may end up in logs, and values can hold member or payment references.
 */
export function validatePosEvent(raw: unknown): ValidationResult {
  let copy: unknown;
  try {
    copy = toPlainData(raw, 0);
  } catch (e) {
    return invalid([`event: ${e instanceof PlainDataError ? e.message : 'could not be read'}`]);
  }
  if (!isRecord(copy)) return invalid([`event: must be an object, got ${describeKind(copy)}`]);

  const { v, type } = copy;
  if (Number.isInteger(v) && v !== PROTOCOL_VERSION) {
    return {
      ok: false,
      code: 'unsupported-version',
      errors: [`event: protocol version ${String(v)} is not supported (this kiosk speaks version 1)`],
    };
  }
  if (typeof type === 'string' && !KNOWN_TYPES.has(type)) {
    return {
      ok: false,
      code: 'unknown-type',
      errors: [`event: unknown type "${clip(type)}" (expected one of ${POS_EVENT_TYPES.join(', ')})`],
    };
  }
  if (validateSchema(copy)) return { ok: true, event: copy as unknown as PosEvent };

  const prefix = typeof type === 'string' ? type : 'event';
  const errors = [...new Set((validateSchema.errors ?? []).map((e) => describeError(prefix, e)))];
  return invalid(errors.length > 0 ? errors : [`${prefix}: does not match the protocol`]);
}

/**
 * An HTTP relay body split into candidate events (still unvalidated). `events` is there in both
 * cases, empty when the payload as a whole is unusable and `error` says why (for a 4xx answer).
 */
export type PosPayload = { ok: true; events: unknown[] } | { ok: false; events: unknown[]; error: string };

/** Splits an HTTP relay body (one event, or an array of up to 500) into candidate events. */
export function parsePosPayload(raw: unknown): PosPayload {
  if (Array.isArray(raw)) {
    if (raw.length === 0) return { ok: false, events: [], error: 'payload is an empty array' };
    if (raw.length > MAX_EVENTS_PER_PAYLOAD) {
      return {
        ok: false,
        events: [],
        error: `payload has ${raw.length} events; send at most ${MAX_EVENTS_PER_PAYLOAD} per request`,
      };
    }
    return { ok: true, events: [...(raw as unknown[])] };
  }
  if (isRecord(raw)) return { ok: true, events: [raw] };
  return {
    ok: false,
    events: [],
    error: `payload must be an event object or an array of events, got ${describeKind(raw)}`,
  };
}

function invalid(errors: string[]): ValidationResult {
  return { ok: false, code: 'invalid', errors };
}

class PlainDataError extends Error {}

/**
 * Deep-copies JSON-like data (what JSON.parse or structured cloning of an event gives). Getters
 * run once here and never again; cycles, class instances, functions and the like are refused
 * instead of being half-copied. Properties holding `undefined` are dropped, as JSON would.
 * A "__proto__" key (JSON.parse makes those) is defined as a plain own property, so the schema
 * rejects it as unknown rather than it changing the copy's prototype.
 */
function toPlainData(value: unknown, depth: number): unknown {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    typeof value === 'number'
  ) {
    return value;
  }
  if (depth >= MAX_DEPTH) throw new PlainDataError(`nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((item) => toPlainData(item, depth + 1));
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new PlainDataError('must be plain JSON data (found a non-plain object)');
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item: unknown = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      if (key === '__proto__') {
        Object.defineProperty(copy, key, {
          value: toPlainData(item, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else copy[key] = toPlainData(item, depth + 1);
    }
    return copy;
  }
  throw new PlainDataError(`must be plain JSON data (found a ${typeof value})`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function describeError(prefix: string, error: ErrorObject): string {
  const field = error.instancePath === '' ? 'event' : clip(error.instancePath.slice(1).replaceAll('/', '.'));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${prefix}: ${clip(String(params['missingProperty']))} is required`;
    case 'additionalProperties':
      return `${prefix}: unknown property "${clip(String(params['additionalProperty']))}" (extension properties must start with "x-")`;
    case 'type': {
      const wanted = String(params['type']);
      return `${prefix}: ${field} must be ${wanted === 'integer' || wanted === 'object' || wanted === 'array' ? 'an' : 'a'} ${wanted}`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${prefix}: ${field} must be ${String(params['comparison'])} ${String(params['limit'])}`;
    case 'minLength':
      return `${prefix}: ${field} must be at least ${String(params['limit'])} character(s) long`;
    case 'maxLength':
      return `${prefix}: ${field} must be at most ${String(params['limit'])} characters long`;
    case 'pattern':
    case 'format':
      return `${prefix}: ${field} ${FORMAT_HINTS[field] ?? 'has an invalid format'}`;
    case 'const':
      return `${prefix}: ${field} must be ${JSON.stringify(params['allowedValue'])}`;
    default:
      return `${prefix}: ${field} ${error.message ?? 'is invalid'}`;
  }
}
