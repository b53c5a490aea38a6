import { describe, expect, it } from 'vitest';
import { auditHash, canonicalJson, GENESIS_HASH, verifyAuditChain } from './auditChain.ts';
import type { AuditEntry } from './evidenceStore.ts';

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      seq,
      at: `2026-11-01T10:00:0${seq}.000Z`,
      actor: 'usr_1',
      action: 'clip.view',
      target: `T-${seq}`,
      detail: { n: seq },
    };
    const hash = auditHash(prevHash, content);
    out.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  return out;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined, so key order never changes a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(canonicalJson({ x: 'é"', y: null })).toBe('{"x":"é\\"","y":null}');
  });
});

describe('verifyAuditChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const entries = chain(4);
    expect(verifyAuditChain(entries)).toEqual({
      ok: true,
      count: 4,
      head: { seq: 4, hash: entries[3]?.hash },
    });
    expect(verifyAuditChain([])).toEqual({ ok: true, count: 0, head: null });
  });

  it('finds the first entry whose content was changed', () => {
    const entries = chain(4);
    entries[2] = { ...entries[2]!, detail: { n: 99 } };
    expect(verifyAuditChain(entries)).toMatchObject({ ok: false, brokenAt: 3, reason: /content/ });
  });

  it('finds a removed entry and a reordering', () => {
    const removed = chain(4).filter((e) => e.seq !== 2);
    expect(verifyAuditChain(removed)).toMatchObject({ ok: false, brokenAt: 3 });
    // Renumbered to hide the gap: the link to the previous hash still breaks.
    const renumbered = removed.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(verifyAuditChain(renumbered)).toMatchObject({ ok: false, brokenAt: 2 });
    const [a, b, ...rest] = chain(4);
    expect(verifyAuditChain([b!, a!, ...rest])).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('checks a later page from the entry before it, and refuses a forged anchor', () => {
    const entries = chain(5);
    const anchor = { seq: 2, hash: entries[1]!.hash };
    expect(verifyAuditChain(entries.slice(2), anchor)).toMatchObject({ ok: true, count: 3 });
    expect(verifyAuditChain(entries.slice(2), { seq: 2, hash: GENESIS_HASH })).toMatchObject({
      ok: false,
      brokenAt: 3,
    });
  });
});
