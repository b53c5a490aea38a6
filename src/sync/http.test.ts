import { describe, expect, it } from 'vitest';
import { classifyFailure, messageFromBody, parseServerError, retryAfterMs } from './http.ts';

describe('server messages', () => {
  it('prefers the JSON message, then the error code, then the text, then the status', () => {
    expect(messageFromBody('{"error":"bad-code","message":"Unknown code"}', 403)).toBe('Unknown code');
    expect(messageFromBody('{"error":"bad-code"}', 403)).toBe('bad-code');
    expect(messageFromBody('Bad Gateway', 502)).toBe('Bad Gateway');
    expect(messageFromBody('', 500)).toBe('HTTP 500');
  });

  it('reads Retry-After seconds and ignores garbage', () => {
    expect(retryAfterMs('12')).toBe(12_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('classifyFailure', () => {
  it('stops the device only for an unknown or revoked token', () => {
    expect(classifyFailure(401, 'unauthorized', 'records')).toBe('auth');
    expect(classifyFailure(403, 'forbidden', 'clip')).toBe('auth');
    expect(classifyFailure(403, 'wrong-lane', 'records')).toBe('item');
  });

  it('retries load, locks, offset conflicts, server errors and a missing endpoint', () => {
    for (const s of [408, 423, 429, 500, 502, 503])
      expect(classifyFailure(s, undefined, 'clip')).toBe('transient');
    expect(classifyFailure(409, 'tus', 'clip')).toBe('transient');
    expect(classifyFailure(404, undefined, 'records')).toBe('transient');
  });

  it('restarts a lost upload, resends a lost record, refuses a mismatched or invalid clip', () => {
    expect(classifyFailure(404, 'not-found', 'clip')).toBe('gone');
    expect(classifyFailure(410, 'upload-gone', 'clip')).toBe('gone');
    expect(classifyFailure(409, 'record-missing', 'clip')).toBe('record-missing');
    expect(classifyFailure(409, 'clip-mismatch', 'clip')).toBe('item');
    expect(classifyFailure(422, 'hash-mismatch', 'clip')).toBe('item');
    expect(classifyFailure(413, 'too-large', 'clip')).toBe('item');
  });

  it('reads the error code next to the message', () => {
    expect(parseServerError('{"error":"record-missing","message":"No record"}', 409)).toEqual({
      code: 'record-missing',
      message: 'No record',
    });
    expect(parseServerError('Upload-Offset conflict', 409)).toEqual({ message: 'Upload-Offset conflict' });
  });
});
