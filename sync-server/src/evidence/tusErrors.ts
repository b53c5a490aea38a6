/**
 * @tus/server answers an error thrown from its hooks with the error's `status_code` and `body`. Bodies
 * are JSON `{ error, message }` like every other endpoint (sent as text/plain by tus; clients parse it).
 */
export class TusError extends Error {
  readonly status_code: number;
  readonly body: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'TusError';
    this.status_code = status;
    this.body = JSON.stringify({ error: code, message });
  }
}

/** Rewrites tus's own plain-text errors ("Upload-Offset conflict\n") into the JSON shape. */
export function toJsonTusError(err: Error | { status_code: number; body: string }): {
  status_code: number;
  body: string;
} {
  const status = 'status_code' in err && typeof err.status_code === 'number' ? err.status_code : 500;
  const body = 'body' in err && typeof err.body === 'string' ? err.body : '';
  if (body.startsWith('{')) return { status_code: status, body };
  const message = (body || (err as Error).message || 'upload failed').trim();
  return {
    status_code: status,
    body: JSON.stringify({ error: status >= 500 ? 'upload-failed' : 'tus', message }),
  };
}
