import { describe, expect, it } from 'vitest';
import schema from '../../../docs/pos-event.schema.json' with { type: 'json' };
import { POS_EVENT_TYPES, type PosEvent } from './events.ts';
import { pos } from './eventFactory.testkit.ts';
import { MAX_EVENTS_PER_PAYLOAD, parsePosPayload, validatePosEvent } from './validate.ts';

const added = pos.added({ seq: 3, line: 1 });

function errorsOf(raw: unknown): string[] {
  const result = validatePosEvent(raw);
  if (result.ok) throw new Error('expected the event to be refused');
  return result.errors;
}

function codeOf(raw: unknown): string {
  const result = validatePosEvent(raw);
  return result.ok ? 'ok' : result.code;
}

const oneOfEach: PosEvent[] = [
  pos.started({ seq: 1, orderNo: 'A-1', memberRef: 'M-0000123456' }),
  pos.added({ seq: 2, line: 1, nameEn: 'Cola', lineTotal: 350 }),
  pos.added({ seq: 3, line: 2, unitPrice: 2990, qty: 1, weight: 455 }),
  pos.qty({ seq: 4, line: 1, qty: 2.5 }),
  pos.voided({ seq: 5, line: 2, reason: 'customer changed mind' }),
  pos.payStarted({ seq: 6, amount: 875, method: 'wechat' }),
  pos.payFailed({ seq: 7, reason: 'declined', paymentRef: 'P-998877665544' }),
  pos.paySucceeded({ seq: 8, amount: 875, paymentRef: 'P-998877665545', method: 'card' }),
  pos.assistance({ seq: 9, reason: 'age check' }),
  pos.ended({ seq: 10 }),
  pos.cancelled({ seq: 11, txn: 'T2' }),
];

describe('validatePosEvent: accepts protocol v1', () => {
  it('accepts every event type with all of its optional fields', () => {
    expect(new Set(oneOfEach.map((e) => e.type))).toEqual(new Set(POS_EVENT_TYPES));
    for (const event of oneOfEach) expect(validatePosEvent(event)).toEqual({ ok: true, event });
  });

  it('has one schema branch per event type, in step with events.ts', () => {
    const branchTypes = Object.values(schema.definitions)
      .map((d) => ('properties' in d && 'type' in d.properties ? d.properties.type : undefined))
      .filter((t): t is { const: string } => t !== undefined && 'const' in t)
      .map((t) => t.const);
    expect(branchTypes.sort()).toEqual([...POS_EVENT_TYPES].sort());
    expect(schema.oneOf).toHaveLength(POS_EVENT_TYPES.length);
  });

  it('returns a copy, so later changes to the input cannot reach the kiosk', () => {
    const input = { ...added };
    const result = validatePosEvent(input);
    input.name = 'changed';
    expect(result.ok && result.event.type === 'item.added' && result.event.name).toBe('Item 1');
  });

  it('allows x- extension properties and rejects other unknown properties', () => {
    expect(validatePosEvent({ ...added, 'x-store': 'S12', 'x-meta': { a: [1, 2] } }).ok).toBe(true);
    expect(errorsOf({ ...added, unitprice: 1 })).toEqual([
      'item.added: unknown property "unitprice" (extension properties must start with "x-")',
    ]);
  });

  it('treats properties holding undefined as absent', () => {
    expect(validatePosEvent({ ...added, nameEn: undefined }).ok).toBe(true);
  });
});

describe('validatePosEvent: explains what is wrong', () => {
  it('names the event type and the field', () => {
    expect(errorsOf({ ...added, unitPrice: 3.5 })).toEqual(['item.added: unitPrice must be an integer']);
    expect(errorsOf({ ...added, name: 7 })).toEqual(['item.added: name must be a string']);
    const { gtin: _gtin, ...noGtin } = added;
    expect(errorsOf(noGtin)).toEqual(['item.added: gtin is required']);
  });

  it('reports every problem at once', () => {
    expect(errorsOf({ ...added, qty: 0, weight: 0, seq: -1 })).toEqual(
      expect.arrayContaining([
        'item.added: qty must be > 0',
        'item.added: weight must be >= 1',
        'item.added: seq must be >= 0',
      ]),
    );
  });

  it('checks GTIN lengths 8, 12, 13 and 14', () => {
    for (const gtin of ['96385074', '036000291452', '6901234567892', '10614141000415']) {
      expect(validatePosEvent({ ...added, gtin }).ok).toBe(true);
    }
    for (const gtin of ['1234567', '123456789', '12345678901', '123456789012345', '690123456789X', '']) {
      expect(errorsOf({ ...added, gtin })).toEqual(['item.added: gtin must be 8, 12, 13 or 14 digits']);
    }
  });

  it('checks the common fields', () => {
    expect(codeOf({ ...added, lane: '' })).toBe('invalid');
    expect(codeOf({ ...added, lane: 'x'.repeat(33) })).toBe('invalid');
    expect(codeOf({ ...added, lane: 'x'.repeat(32) })).toBe('ok');
    expect(errorsOf({ ...added, lane: 'L 01' })).toEqual([
      'item.added: lane must contain only letters, digits, "-" and "_"',
    ]);
    expect(codeOf({ ...added, txn: '' })).toBe('invalid');
    expect(codeOf({ ...added, txn: 't'.repeat(65) })).toBe('invalid');
    expect(codeOf({ ...added, seq: 1.5 })).toBe('invalid');
    expect(codeOf({ ...added, seq: 0 })).toBe('ok');
    expect(errorsOf({ ...added, at: '2025-03-01T09:30:00' })[0]).toMatch(
      /^item\.added: at must be an ISO-8601 date-time/,
    );
    expect(codeOf({ ...added, at: '2025-03-01T09:30:00.123Z' })).toBe('ok');
    expect(codeOf({ ...added, at: 'yesterday' })).toBe('invalid');
  });

  it('enforces money, quantity and weight limits', () => {
    expect(codeOf({ ...added, unitPrice: 0 })).toBe('ok');
    expect(codeOf({ ...added, unitPrice: 1e9 })).toBe('ok');
    expect(codeOf({ ...added, unitPrice: 1e9 + 1 })).toBe('invalid');
    expect(codeOf({ ...added, unitPrice: -1 })).toBe('invalid');
    expect(codeOf({ ...added, qty: 9999 })).toBe('ok');
    expect(codeOf({ ...added, qty: 10000 })).toBe('invalid');
    expect(codeOf({ ...added, qty: 0.25 })).toBe('ok');
    expect(codeOf({ ...added, weight: 100000 })).toBe('ok');
    expect(codeOf({ ...added, weight: 100001 })).toBe('invalid');
    expect(codeOf({ ...added, weight: 12.5 })).toBe('invalid');
    expect(codeOf(pos.payStarted({ seq: 1, amount: -5 }))).toBe('invalid');
  });

  it('refuses numbers JSON cannot carry', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(codeOf({ ...added, unitPrice: bad })).toBe('invalid');
      expect(codeOf({ ...added, qty: bad })).toBe('invalid');
      expect(codeOf({ ...added, seq: bad })).toBe('invalid');
    }
  });

  it('never echoes field values, which may be member or payment references', () => {
    const secret = 'M-123456789012';
    const errors = errorsOf({ ...pos.started({ seq: 1 }), memberRef: [secret], orderNo: { secret } });
    expect(errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(errors)).not.toContain('123456789012');
  });
});

describe('validatePosEvent: version and type', () => {
  it('tells an unsupported version from a broken event', () => {
    expect(validatePosEvent({ ...added, v: 2 })).toEqual({
      ok: false,
      code: 'unsupported-version',
      errors: ['event: protocol version 2 is not supported (this kiosk speaks version 1)'],
    });
    expect(codeOf({ ...added, v: 2, type: 'item.renamed' })).toBe('unsupported-version');
    const { v: _v, ...noVersion } = added;
    expect(codeOf(noVersion)).toBe('invalid');
    expect(codeOf({ ...added, v: '1' })).toBe('invalid');
  });

  it('tells an unknown type from a broken event', () => {
    const result = validatePosEvent({ ...added, type: 'item.renamed' });
    expect(result.ok ? '' : result.code).toBe('unknown-type');
    expect(result.ok ? [] : result.errors[0]).toMatch(/^event: unknown type "item\.renamed"/);
    const { type: _type, ...noType } = added;
    expect(codeOf(noType)).toBe('invalid');
    expect(codeOf({ ...added, type: 42 })).toBe('invalid');
  });
});

describe('validatePosEvent: hostile input', () => {
  it('refuses anything that is not an object', () => {
    for (const raw of [null, undefined, 0, 'item.added', true, [], [added], Symbol('x'), 10n, () => added]) {
      expect(codeOf(raw)).toBe('invalid');
    }
    expect(errorsOf([added])).toEqual(['event: must be an object, got an array']);
  });

  it('refuses class instances, cycles and deep nesting instead of half-copying them', () => {
    expect(errorsOf({ ...added, 'x-when': new Date() })[0]).toMatch(/plain JSON data/);
    const cyclic: Record<string, unknown> = { ...added };
    cyclic['x-self'] = cyclic;
    expect(codeOf(cyclic)).toBe('invalid');
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(codeOf({ ...added, 'x-deep': deep })).toBe('invalid');
  });

  it('survives getters and proxies that throw', () => {
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    expect(codeOf(trap)).toBe('invalid');
    const getter = Object.defineProperty({ ...added }, 'name', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(errorsOf(getter)).toEqual(['event: could not be read']);
  });

  it('rejects a __proto__ key as an unknown property without touching prototypes', () => {
    const raw: unknown = JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(added).slice(1)}`);
    expect(errorsOf(raw)).toEqual([
      'item.added: unknown property "__proto__" (extension properties must start with "x-")',
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parsePosPayload', () => {
  it('accepts one event or an array of events', () => {
    expect(parsePosPayload(added)).toEqual({ ok: true, events: [added] });
    expect(parsePosPayload([added, 'junk'])).toEqual({ ok: true, events: [added, 'junk'] });
  });

  it('refuses empty, oversized and non-event payloads', () => {
    const big = Array.from({ length: MAX_EVENTS_PER_PAYLOAD + 1 }, () => added);
    expect(parsePosPayload(big.slice(1))).toMatchObject({ ok: true });
    expect(parsePosPayload(big)).toEqual({
      ok: false,
      events: [],
      error: 'payload has 501 events; send at most 500 per request',
    });
    expect(parsePosPayload([])).toMatchObject({ ok: false, events: [] });
    for (const raw of [null, 'text', 12, undefined])
      expect(parsePosPayload(raw)).toMatchObject({ ok: false });
  });
});
