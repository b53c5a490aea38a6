import { describe, expect, it } from 'vitest';
import { assertNoClearPersonalData } from './personalData.ts';
import { sampleRecord } from './sampleRecord.testkit.ts';
import { ClearPersonalDataError } from './storeErrors.ts';

describe('assertNoClearPersonalData', () => {
  it('accepts masked references (as maskRef writes them) and records without any', () => {
    expect(() => assertNoClearPersonalData(sampleRecord())).not.toThrow();
    const { memberRefMasked: _m, paymentRefMasked: _p, ...bare } = sampleRecord();
    expect(() => assertNoClearPersonalData(bare)).not.toThrow();
  });

  it('refuses clear reference fields at any depth, naming the field but never the value', () => {
    const nested = {
      ...sampleRecord(),
      timeline: [{ kind: 'event', payload: { payment_ref: '6222021234567890' } }],
    };
    let error: unknown;
    try {
      assertNoClearPersonalData(nested);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ClearPersonalDataError);
    expect((error as Error).message).toContain('record.timeline[0].payload.payment_ref');
    expect((error as Error).message).not.toContain('6222021234567890');
    for (const key of ['memberRef', 'phone', 'cardNumber', 'email', 'customerId']) {
      expect(() => assertNoClearPersonalData({ ...sampleRecord(), [key]: 'x' }), key).toThrow(
        ClearPersonalDataError,
      );
    }
  });

  it('refuses a "masked" field that holds more than the mask allows', () => {
    for (const value of ['6222021234567890', '••••12345', '1234', 42]) {
      expect(
        () => assertNoClearPersonalData({ ...sampleRecord(), memberRefMasked: value }),
        String(value),
      ).toThrow(/memberRefMasked/);
    }
  });
});
