/** The slice of `fetch` the sync code uses, so tests pass a small fake. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** The server's `{ error, message }` body as one line, or the status when the body says nothing useful. */
export async function readServerMessage(res: Response): Promise<string> {
  return (await readServerError(res)).message;
}

export interface ServerError {
  /** The machine-readable `error` field, when the body had one. */
  code?: string;
  message: string;
}

export async function readServerError(res: Response): Promise<ServerError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // A body that cannot be read still leaves the status to report.
  }
  return parseServerError(text, res.status);
}

export function parseServerError(text: string, status: number): ServerError {
  const message = messageFromBody(text, status);
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return { code: body.error, message };
  } catch {
    // Not JSON: no code.
  }
  return { message };
}

/**
 * What a failed answer means for the outbox:
 * - 'auth': the token is unknown or revoked; stop everything until the kiosk is enrolled again;
 * - 'transient': try the same request later (load, locks, tus offset conflicts, server errors,
 *   and a 404 for an endpoint, which means a server being deployed or misrouted, not bad data);
 * - 'gone': a clip's partial upload no longer exists; start a new one;
 * - 'record-missing': the server lost the clip's record; send the record again first;
 * - 'item': this item is refused for good; show why and go on with the others.
 * A 403 'wrong-lane' is about the data, not the device (e.g. records left from before the kiosk
 * was re-enrolled for another lane), so it refuses the item instead of stopping the device.
 */
export type FailureKind = 'auth' | 'transient' | 'gone' | 'record-missing' | 'item';

export function classifyFailure(
  status: number,
  code: string | undefined,
  what: 'records' | 'clip',
): FailureKind {
  if (status === 401) return 'auth';
  if (status === 403) return code === 'wrong-lane' ? 'item' : 'auth';
  if (status >= 500 || [408, 423, 425, 429].includes(status)) return 'transient';
  if (status === 404 || status === 410) return what === 'clip' ? 'gone' : 'transient';
  if (status === 409) {
    if (what === 'clip' && code === 'record-missing') return 'record-missing';
    return code === 'clip-mismatch' ? 'item' : 'transient';
  }
  return 'item';
}

export function messageFromBody(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof body.message === 'string' && body.message !== '') return body.message;
    if (typeof body.error === 'string' && body.error !== '') return body.error;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const trimmed = text.trim().slice(0, 200);
  return trimmed === '' ? `HTTP ${status}` : trimmed;
}

/** Seconds from a Retry-After header (delta form only; dates are rare from our server). */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}
