import type { BlobStore, EvidenceStore } from '../store/evidenceStore.ts';
import type { ServerKeys } from '../keys/serverKeys.ts';
import { httpError } from '../auth/httpError.ts';
import type { RetentionReport } from '../store/retentionJob.ts';

export type { RetentionReport };

/** Everything the evidence routes need once the data directory is open. */
export interface EvidenceServices {
  store: EvidenceStore;
  blobs: BlobStore;
  keys: ServerKeys;
  /** tus working directory: partial uploads and their .json info files. */
  uploadsDir: string;
  runRetention?: () => Promise<RetentionReport>;
  close(): Promise<void>;
}

/**
 * Opens the services on first use rather than when the app is built: opening the embedded database
 * and loading the key take seconds, and the lane relay must not wait for (or fail with) them. The
 * server starts them as soon as it listens; until they are up, evidence routes wait, and if they
 * fail every evidence route answers 503 with the reason while the lane relay keeps working.
 */
export class LazyServices {
  private pending: Promise<EvidenceServices> | null = null;

  constructor(private readonly open: () => Promise<EvidenceServices>) {}

  get(): Promise<EvidenceServices> {
    this.pending ??= this.open();
    return this.pending.catch((err: Error) => {
      throw httpError(503, 'evidence-unavailable', `Evidence storage could not be opened: ${err.message}`);
    });
  }

  /** True once `get` has been called, so close() knows whether there is anything to close. */
  get started(): boolean {
    return this.pending !== null;
  }

  async close(): Promise<void> {
    if (!this.pending) return;
    const services = await this.pending.catch(() => null);
    await services?.close();
  }
}
