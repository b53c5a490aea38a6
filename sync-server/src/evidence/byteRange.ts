/**
 * HTTP Range for the decrypted clip (RFC 9110 §14): one range of the plaintext, as a video element
 * asks for it ("bytes=0-", "bytes=1000-1999", "bytes=-500"). Several ranges in one request are not
 * served: no player needs them, and they would multiply the decryption work of one request.
 */
export type RangeResult =
  | { kind: 'full' }
  | { kind: 'range'; start: number; end: number }
  | { kind: 'unsatisfiable'; reason: string };

const SINGLE = /^bytes=(\d{0,16})-(\d{0,16})$/;

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined || header.trim() === '') return { kind: 'full' };
  const spec = header.trim();
  if (spec.includes(',')) return { kind: 'unsatisfiable', reason: 'multiple ranges are not supported' };
  const m = SINGLE.exec(spec);
  if (!m || (m[1] === '' && m[2] === '')) {
    return { kind: 'unsatisfiable', reason: `malformed Range "${spec.slice(0, 40)}"` };
  }
  const [first, last] = [m[1] ?? '', m[2] ?? ''];
  if (size === 0) return { kind: 'unsatisfiable', reason: 'the clip is empty' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const n = Number(last);
    if (n === 0) return { kind: 'unsatisfiable', reason: 'empty suffix range' };
    return { kind: 'range', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size)
    return { kind: 'unsatisfiable', reason: `range starts at ${start}, the clip has ${size} bytes` };
  if (end < start) return { kind: 'unsatisfiable', reason: 'range ends before it starts' };
  return { kind: 'range', start, end };
}
