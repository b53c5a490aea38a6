import { describe, expect, it } from 'vitest';
import { checkRecord } from './recordValidation.ts';
import { makeRecord } from './testing/harness.ts';

const errorOf = (raw: unknown) => {
  const r = checkRecord(raw);
  return r.ok ? null : r.error;
};

describe('checkRecord', () => {
  it('accepts a record as the kiosk builds it', () => {
    expect(checkRecord(makeRecord('L01', 'T-1'))).toMatchObject({ ok: true });
  });

  it('refuses clear member and payment references anywhere, without echoing them', () => {
    const secret = '6222021234567891234';
    const cases: unknown[] = [
      { ...makeRecord('L01', 'T-1'), memberRef: secret },
      { ...makeRecord('L01', 'T-1'), paymentRef: secret },
      { ...makeRecord('L01', 'T-1'), memberRefMasked: secret },
      { ...makeRecord('L01', 'T-1'), paymentRefMasked: '••••' + secret },
      { ...makeRecord('L01', 'T-1'), suspicions: [{ detail: { cardNumber: secret } }] },
      {
        ...makeRecord('L01', 'T-1'),
        timeline: [{ kind: 'event', at: '2026-11-22T08:00:00Z', memberRef: secret }],
      },
    ];
    for (const raw of cases) {
      const error = errorOf(raw);
      expect(error).toMatch(/clear member or payment data is never stored/);
      expect(error).not.toContain(secret);
    }
  });

  it('refuses unsafe txn ids, unknown fields and bad shapes', () => {
    for (const txn of ['../etc', 'a/b', '', 'x'.repeat(65), 'a..b']) {
      expect(errorOf(makeRecord('L01', txn))).toMatch(/txn/);
    }
    expect(errorOf({ ...makeRecord('L01', 'T-1'), extra: 1 })).toMatch(/extra is not a known field/);
    expect(errorOf({ ...makeRecord('L01', 'T-1'), schema: 2 })).toMatch(/schema/);
    expect(errorOf({ ...makeRecord('L01', 'T-1'), status: 'stolen' })).toMatch(/status/);
    expect(errorOf({ ...makeRecord('L01', 'T-1'), lines: [{ line: 1 }] })).toMatch(/lines\[0\]/);
    expect(errorOf({ ...makeRecord('L01', 'T-1'), recordedAt: 'yesterday' })).toMatch(/recordedAt/);
    expect(errorOf(null)).toMatch(/object/);
  });

  it('checks the clip meta the server will later rely on', () => {
    const clip = {
      clipId: 'c1',
      mime: 'video/webm',
      bytes: 100,
      sha256: 'a'.repeat(64),
      startMs: 1,
      endMs: 2,
      faceBlur: true,
      wrappedKey: 'A'.repeat(344),
      keyId: '0123456789abcdef',
    };
    expect(errorOf(makeRecord('L01', 'T-1', clip))).toBeNull();
    expect(errorOf(makeRecord('L01', 'T-1', { ...clip, sha256: 'ABC' }))).toMatch(/sha256/);
    expect(errorOf(makeRecord('L01', 'T-1', { ...clip, mime: 'text/html\r\nx: y' }))).toMatch(/mime/);
    expect(errorOf(makeRecord('L01', 'T-1', { ...clip, clipId: '../x' }))).toMatch(/clipId/);
    expect(errorOf(makeRecord('L01', 'T-1', { ...clip, bytes: 0 }))).toMatch(/bytes/);
  });
});
