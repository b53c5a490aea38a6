import type { ClipMeta, OrderVideoRecord } from '../../../src/core/evidence/record.ts';
import { isLaneId } from '../lanes/laneId.ts';
import { assertNoClearPersonalData } from '../store/personalData.ts';
import { ClearPersonalDataError } from '../store/storeErrors.ts';
import { isClipId, isSha256Hex, isTxnId } from './ids.ts';

/**
 * Checks an order video record from a kiosk before it is stored: its shape, an allow-list of fields
 * (so nothing unexpected, personal or not, rides along), and the store's own personal-data rule
 * (store/personalData.ts: member and payment references only in masked form, at any depth). A
 * refused record is never stored, and the error names the field, never its value.
 */
export type RecordCheck = { ok: true; record: OrderVideoRecord } | { ok: false; error: string };

const TOP_LEVEL = new Set([
  'schema',
  'lane',
  'txn',
  'orderNo',
  'status',
  'startedAt',
  'endedAt',
  'lines',
  'total',
  'itemCount',
  'counts',
  'paymentFailures',
  'memberRefMasked',
  'paymentRefMasked',
  'timeline',
  'suspicions',
  'flagged',
  'clip',
  'recordedAt',
]);
const LINE_KEYS = new Set([
  'line',
  'gtin',
  'name',
  'nameEn',
  'unitPrice',
  'qty',
  'weight',
  'total',
  'scannedAt',
  'voided',
]);
const CLIP_KEYS = new Set([
  'clipId',
  'mime',
  'bytes',
  'sha256',
  'startMs',
  'endMs',
  'faceBlur',
  'wrappedKey',
  'keyId',
]);
const SUSPICION_KEYS = new Set([
  'id',
  'type',
  'rule',
  'confidence',
  'explanation',
  'evidence',
  'raisedAt',
  'outcome',
  'nudged',
  'escalated',
  'resolvedAt',
  'shopperAnswer',
  'subject',
]);
const SUSPICION_TYPES = new Set(['missedScan', 'wrongScan', 'noScan', 'reduction', 'unpaid']);
const OUTCOMES = new Set(['open', 'selfCorrected', 'escalated', 'retracted', 'ignored']);
const MAX_SUSPICIONS = 500;
const STATUSES = new Set(['open', 'paying', 'paid', 'cancelled', 'ended']);
const TIMELINE_KINDS = new Set(['event', 'prompt', 'answer', 'diagnostic']);
const MIME = /^(video|audio|application)\/[A-Za-z0-9.+-]{1,64}(; ?[A-Za-z0-9=.,"+ -]{1,100})?$/;
const MAX_LINES = 2000;
const MAX_TIMELINE = 20_000;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 40 && !Number.isNaN(Date.parse(v));
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

function checkLine(line: unknown, i: number): string | null {
  if (!isObj(line)) return `lines[${i}] must be an object`;
  const extra = Object.keys(line).find((k) => !LINE_KEYS.has(k));
  if (extra) return `lines[${i}].${extra} is not a known field`;
  if (!isCount(line.line) || typeof line.gtin !== 'string' || typeof line.name !== 'string') {
    return `lines[${i}] needs line, gtin and name`;
  }
  if (!isNum(line.unitPrice) || !isNum(line.qty) || !isNum(line.total) || typeof line.voided !== 'boolean') {
    return `lines[${i}] needs numeric unitPrice, qty, total and boolean voided`;
  }
  if (!isTime(line.scannedAt)) return `lines[${i}].scannedAt must be an ISO-8601 time`;
  return null;
}

function checkClip(clip: unknown): string | null {
  if (!isObj(clip)) return 'clip must be an object';
  const extra = Object.keys(clip).find((k) => !CLIP_KEYS.has(k));
  if (extra) return `clip.${extra} is not a known field`;
  const c = clip as Partial<Record<keyof ClipMeta, unknown>>;
  if (!isClipId(c.clipId)) return 'clip.clipId must be 1-64 letters, digits, . _ : or -';
  if (typeof c.mime !== 'string' || !MIME.test(c.mime)) return 'clip.mime must be a video/* type';
  if (!isCount(c.bytes) || c.bytes === 0) return 'clip.bytes must be a positive integer';
  if (!isSha256Hex(c.sha256)) return 'clip.sha256 must be 64 lowercase hex digits';
  if (!isNum(c.startMs) || !isNum(c.endMs) || c.endMs < c.startMs)
    return 'clip.startMs/endMs must be epoch ms';
  if (typeof c.faceBlur !== 'boolean') return 'clip.faceBlur must be a boolean';
  if (typeof c.wrappedKey !== 'string' || !/^[A-Za-z0-9+/]{16,2048}={0,2}$/.test(c.wrappedKey)) {
    return 'clip.wrappedKey must be base64';
  }
  if (typeof c.keyId !== 'string' || !/^[0-9a-f]{16}$/.test(c.keyId))
    return 'clip.keyId must be 16 hex digits';
  return null;
}

const isIntList = (v: unknown): boolean =>
  Array.isArray(v) && v.length <= 1000 && v.every((x) => Number.isInteger(x));

/** A fusion suspicion as the kiosk's lane watch records it (src/core/evidence/record.ts). */
function checkSuspicion(s: unknown, i: number): string | null {
  const at = `suspicions[${i}]`;
  if (!isObj(s)) return `${at} must be an object`;
  const extra = Object.keys(s).find((k) => !SUSPICION_KEYS.has(k));
  if (extra) return `${at}.${extra} is not a known field`;
  if (typeof s.id !== 'string' || s.id.length === 0 || s.id.length > 200) return `${at}.id must be a string`;
  if (typeof s.type !== 'string' || !SUSPICION_TYPES.has(s.type)) return `${at}.type is not a suspicion type`;
  if (typeof s.rule !== 'string' || !/^[A-Za-z]+\.[A-Za-z]+$/.test(s.rule))
    return `${at}.rule must be a rule id`;
  if (!isNum(s.confidence) || s.confidence < 0 || s.confidence > 1) return `${at}.confidence must be 0..1`;
  if (typeof s.explanation !== 'string' || s.explanation.length > 1000)
    return `${at}.explanation must be a string of at most 1000 characters`;
  const ev = s.evidence;
  if (
    !isObj(ev) ||
    !isNum(ev.startMs) ||
    !isNum(ev.endMs) ||
    !isIntList(ev.trackIds) ||
    !isIntList(ev.posSeqs)
  )
    return `${at}.evidence needs startMs, endMs, trackIds and posSeqs`;
  if (!isTime(s.raisedAt)) return `${at}.raisedAt must be an ISO-8601 time`;
  if (s.resolvedAt !== undefined && !isTime(s.resolvedAt)) return `${at}.resolvedAt must be an ISO-8601 time`;
  if (typeof s.outcome !== 'string' || !OUTCOMES.has(s.outcome))
    return `${at}.outcome is not a known outcome`;
  if (typeof s.nudged !== 'boolean' || typeof s.escalated !== 'boolean')
    return `${at}.nudged and escalated must be booleans`;
  if (s.shopperAnswer !== undefined && s.shopperAnswer !== 'continue' && s.shopperAnswer !== 'scanAgain')
    return `${at}.shopperAnswer must be continue or scanAgain`;
  const sub = s.subject;
  if (
    sub !== undefined &&
    (!isObj(sub) ||
      Object.keys(sub).some((k) => k !== 'gtin' && k !== 'line') ||
      (sub.gtin !== undefined && typeof sub.gtin !== 'string') ||
      (sub.line !== undefined && !isCount(sub.line)))
  )
    return `${at}.subject may only hold gtin and line`;
  return null;
}

/** The store's rule, checked first so a clear reference is named as such rather than as an unknown field. */
function personalDataError(r: Record<string, unknown>): string | null {
  try {
    assertNoClearPersonalData(r);
    return null;
  } catch (err) {
    if (err instanceof ClearPersonalDataError) return err.message;
    throw err;
  }
}

function firstError(r: Record<string, unknown>): string | null {
  const personal = personalDataError(r);
  if (personal) return personal;
  const extra = Object.keys(r).find((k) => !TOP_LEVEL.has(k));
  if (extra) return `${extra} is not a known field`;
  if (r.schema !== 1) return 'schema must be 1';
  if (!isLaneId(r.lane)) return 'lane must be 1-32 letters, digits, - or _';
  if (r.orderNo !== undefined && (typeof r.orderNo !== 'string' || r.orderNo.length > 64)) {
    return 'orderNo must be a string of at most 64 characters';
  }
  if (typeof r.status !== 'string' || !STATUSES.has(r.status)) return 'status is not a known order status';
  if (!isTime(r.startedAt) || !isTime(r.recordedAt)) return 'startedAt and recordedAt must be ISO-8601 times';
  if (r.endedAt !== undefined && !isTime(r.endedAt)) return 'endedAt must be an ISO-8601 time';
  if (!Array.isArray(r.lines) || r.lines.length > MAX_LINES)
    return `lines must be an array of at most ${MAX_LINES}`;
  for (let i = 0; i < r.lines.length; i++) {
    const err = checkLine(r.lines[i], i);
    if (err) return err;
  }
  if (!isNum(r.total) || !isCount(r.itemCount) || !isCount(r.paymentFailures)) {
    return 'total, itemCount and paymentFailures must be numbers';
  }
  const counts = r.counts;
  if (
    !isObj(counts) ||
    !['added', 'voided', 'quantityChanged', 'quantityReduced'].every((k) => isCount(counts[k]))
  ) {
    return 'counts must hold added, voided, quantityChanged and quantityReduced';
  }
  if (!Array.isArray(r.timeline) || r.timeline.length > MAX_TIMELINE) return 'timeline must be an array';
  const badEntry = r.timeline.findIndex(
    (t) => !isObj(t) || !TIMELINE_KINDS.has(t.kind as string) || !isTime(t.at),
  );
  if (badEntry >= 0) return `timeline[${badEntry}] needs a known kind and an ISO-8601 at`;
  if (!Array.isArray(r.suspicions) || r.suspicions.length > MAX_SUSPICIONS)
    return `suspicions must be an array of at most ${MAX_SUSPICIONS}`;
  for (let i = 0; i < r.suspicions.length; i++) {
    const err = checkSuspicion(r.suspicions[i], i);
    if (err) return err;
  }
  if (typeof r.flagged !== 'boolean') return 'flagged must be a boolean';
  if (r.clip !== undefined) return checkClip(r.clip);
  return null;
}

/** Validates one record; `txn` in the error result is only trustworthy when it passed its own check. */
export function checkRecord(raw: unknown): RecordCheck {
  if (!isObj(raw)) return { ok: false, error: 'record must be an object' };
  if (!isTxnId(raw.txn))
    return { ok: false, error: 'txn must be 1-64 letters, digits, . _ : or - (no "..")' };
  const error = firstError(raw);
  return error ? { ok: false, error } : { ok: true, record: raw as unknown as OrderVideoRecord };
}
