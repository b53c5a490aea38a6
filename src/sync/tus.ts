/**
 * The part of tus-js-client the sync agent uses, as plain types, so the agent and its tests never
 * load the library; `tusJs.ts` adapts the real Upload class to it.
 */
export interface TusOptions {
  endpoint: string;
  /** A previous upload of this clip; the client asks the server for its offset and continues there. */
  uploadUrl: string | null;
  metadata: Record<string, string>;
  headers: Record<string, string>;
  chunkSize: number;
  /** null: the agent owns retries (one backoff policy, persisted across reloads). */
  retryDelays: null;
  /** The agent keeps upload URLs in IndexedDB per clip, not in tus's fingerprint store. */
  storeFingerprintForResuming: false;
  removeFingerprintOnSuccess: false;
  onUploadUrlAvailable: () => void;
  onChunkComplete: (chunkSize: number, bytesAccepted: number, bytesTotal: number) => void;
  onSuccess: () => void;
  onError: (error: Error) => void;
}

export interface TusHandle {
  /** The upload URL once the server created (or confirmed) the upload. */
  readonly url: string | null;
  start(): void;
  /** Stops without terminating: the server keeps the partial upload for a later resume. */
  abort(): Promise<void>;
}

export type TusUploadFactory = (file: Blob, opts: TusOptions) => TusHandle;

/** tus-js-client's DetailedError carries the response; a plain network failure has none. */
export function tusErrorResponse(err: unknown): { status: number; body: string } | undefined {
  const res = (err as { originalResponse?: { getStatus(): number; getBody(): string } | null })
    ?.originalResponse;
  if (!res) return undefined;
  let body = '';
  try {
    body = res.getBody() ?? '';
  } catch {
    // Some stacks throw when there is no body; the status alone still classifies the error.
  }
  return { status: res.getStatus(), body };
}
