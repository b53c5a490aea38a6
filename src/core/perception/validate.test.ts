import { describe, expect, it } from 'vitest';
import { validatePerceptionEvent } from './validate.ts';
import { PERCEPTION_EVENT_TYPES } from './events.ts';

const base = { v: 1, atMs: 1200, startMs: 1000, endMs: 1100, confidence: 0.9 };

describe('validatePerceptionEvent', () => {
  it('accepts a well-formed event and returns a copy', () => {
    const raw = { ...base, type: 'itemRemovedFromBagging', trackId: 3, toZone: 'pickup' };
    const r = validatePerceptionEvent(raw);
    expect(r).toEqual({ ok: true, event: raw });
    if (r.ok) expect(r.event).not.toBe(raw);
  });

  it('knows every type of the contract', () => {
    const minimal: Record<string, object> = {
      itemPassedScanner: { trackId: 1, fromZone: 'pickup', holdingItem: true },
      scanMotion: { trackId: 1 },
      itemMovedPickupToBagging: { trackId: 1, viaScanner: false },
      itemPlacedInBagging: { trackId: 1 },
      itemRemovedFromBagging: { trackId: 1, toZone: 'exit' },
      handsInScanner: { count: 2 },
      itemAppearance: { trackId: 1 },
      nonItemObject: { trackId: 1, kind: 'child' },
      shopperLeft: {},
    };
    for (const type of PERCEPTION_EVENT_TYPES) {
      expect(validatePerceptionEvent({ ...base, type, ...minimal[type] }).ok, type).toBe(true);
    }
  });

  it('rejects bad times, confidences, enums and missing fields with readable errors', () => {
    const r = validatePerceptionEvent({
      ...base,
      startMs: 2000,
      confidence: 7,
      type: 'nonItemObject',
      trackId: 1.5,
      kind: 'dog',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual(
        expect.arrayContaining([
          'confidence: must be a number in 0..1',
          'startMs: must not be after endMs',
          'trackId: has the wrong type or range',
          'kind: has the wrong type or range',
        ]),
      );
    }
    expect(validatePerceptionEvent({ ...base, type: 'scanMotion' })).toEqual({
      ok: false,
      errors: ['trackId: is required'],
    });
  });

  it('rejects unknown types, other versions and non-objects', () => {
    expect(validatePerceptionEvent({ ...base, type: 'teleport' }).ok).toBe(false);
    expect(validatePerceptionEvent({ ...base, v: 2, type: 'shopperLeft' }).ok).toBe(false);
    expect(validatePerceptionEvent(null).ok).toBe(false);
    expect(validatePerceptionEvent([base]).ok).toBe(false);
  });
});
