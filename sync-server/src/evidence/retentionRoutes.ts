import type { FastifyInstance } from 'fastify';
import type { Auth } from '../auth/authenticate.ts';
import { httpError } from '../auth/httpError.ts';
import type { AlertBoard } from './alerts.ts';
import type { LazyServices, RetentionReport } from './services.ts';
import type { UploadRoutes } from './uploadRoutes.ts';

export interface RetentionRunner {
  /** Runs retention once (never two at a time); resolves with the job's report. */
  run(actor: string): Promise<RetentionReport & { expiredUploads: number }>;
  /** Starts the hourly (configurable) schedule; returns a stop function. */
  schedule(intervalMs: number): () => void;
}

export function createRetentionRunner(
  services: LazyServices,
  uploads: UploadRoutes,
  alerts: AlertBoard,
  log: { error(obj: unknown, msg?: string): void },
): RetentionRunner {
  let running: Promise<RetentionReport & { expiredUploads: number }> | null = null;

  async function runOnce(actor: string) {
    const s = await services.get();
    if (!s.runRetention) throw httpError(501, 'no-retention', 'No retention job is configured.');
    const report = await s.runRetention();
    const expiredUploads = await uploads.sweep();
    if (report.lowDisk) {
      const message = report.alert ?? 'Evidence disk is nearly full: old clips were deleted to make room.';
      alerts.raise('low-disk', message, {
        freeBytesBefore: report.freeBytesBefore,
        freedBytes: report.freedBytes,
      });
    } else alerts.clear('low-disk');
    alerts.clear('retention-failed');
    await s.store.appendAudit({
      at: new Date().toISOString(),
      actor,
      action: 'retention.run',
      target: 'records',
      detail: { ...report, expiredUploads },
    });
    return { ...report, expiredUploads };
  }

  const run = (actor: string) => {
    running ??= runOnce(actor).finally(() => (running = null));
    return running;
  };

  return {
    run,
    schedule(intervalMs) {
      const timer = setInterval(() => {
        run('retention-schedule').catch((err: Error) => {
          log.error(err, 'retention run failed');
          alerts.raise('retention-failed', `Evidence retention failed: ${err.message}`);
        });
      }, intervalMs);
      // The schedule alone must not keep the process (or a test run) alive.
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

export function registerRetentionRoutes(
  app: FastifyInstance,
  auth: Auth,
  runner: RetentionRunner,
  alerts: AlertBoard,
) {
  app.post('/api/admin/retention/run', { preHandler: auth.requireRole('admin') }, async (req) =>
    runner.run(auth.principalOf(req).id),
  );
  app.get('/api/alerts', { preHandler: auth.requireRole('admin', 'lossPrevention', 'guide') }, async () => ({
    alerts: alerts.list(),
  }));
}
