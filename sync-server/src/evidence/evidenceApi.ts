import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config.ts';
import { createAuth } from '../auth/authenticate.ts';
import { registerUserRoutes } from '../auth/userRoutes.ts';
import { registerEnrolRoutes } from '../devices/enrolRoutes.ts';
import { registerServerKeyRoute } from '../keys/serverKeyRoute.ts';
import { AlertBoard } from './alerts.ts';
import { registerAuditRoutes } from './auditRoutes.ts';
import { registerClipRoutes } from './clipRoutes.ts';
import { registerOrderRoutes } from './orderRoutes.ts';
import { registerRecordRoutes } from './recordRoutes.ts';
import { createRetentionRunner, registerRetentionRoutes } from './retentionRoutes.ts';
import { LazyServices, type EvidenceServices } from './services.ts';
import { registerUploadRoutes } from './uploadRoutes.ts';

export interface EvidenceApiOptions {
  /** Opens storage and keys; tests pass doubles. Defaults to the data directory's real ones. */
  open?: () => Promise<EvidenceServices>;
}

export interface EvidenceApi {
  services: LazyServices;
  alerts: AlertBoard;
}

/**
 * Order video evidence (guide 5.2.4 / 7.2.5): enrolment, people and roles, record sync, resumable
 * encrypted clip uploads, audited review and retention. See docs/server-api.md.
 */
export async function registerEvidenceApi(
  app: FastifyInstance,
  config: ServerConfig,
  opts: EvidenceApiOptions = {},
): Promise<EvidenceApi> {
  const open = opts.open ?? (async () => (await import('./defaultServices.ts')).openDefaultServices(config));
  const services = new LazyServices(open);
  const store = async () => (await services.get()).store;
  const auth = createAuth({ adminToken: config.adminToken, store });
  const alerts = new AlertBoard();
  app.decorateRequest('principal', null);

  registerServerKeyRoute(app, async () => (await services.get()).keys);
  registerEnrolRoutes(app, { demo: config.demo, store });
  registerUserRoutes(app, auth, store);
  registerRecordRoutes(app, auth, services, { bodyLimit: config.maxRecordsBodyBytes });
  const uploads = registerUploadRoutes(app, auth, services, { maxClipBytes: config.maxClipBytes });
  registerOrderRoutes(app, auth, services);
  registerClipRoutes(app, auth, services);
  registerAuditRoutes(app, auth, services);
  const retention = createRetentionRunner(services, uploads, alerts, app.log);
  registerRetentionRoutes(app, auth, retention, alerts);

  const stopRetention = retention.schedule(config.retentionIntervalMs);
  // Opening storage takes seconds (the embedded database), so it is not done when the app is built.
  // A configured store (ADMIN_TOKEN or DATABASE_URL set, or a data directory already holding evidence)
  // opens as soon as the server listens, so a bad KEY_PASSPHRASE or database shows at start; a fresh
  // demo install opens on its first evidence request instead. Until open, evidence routes wait; if
  // opening fails they answer 503 with the reason, while the lane relay keeps working.
  const configured =
    Boolean(config.adminToken || config.databaseUrl) || fs.existsSync(path.join(config.dataDir, 'keys'));
  app.addHook('onListen', async () => {
    // console, not the logger: these must show even with LOG=off.
    if (config.demo) {
      console.warn(
        'WARNING: DEMO mode: any kiosk can enrol with the code "DEMO". Set ADMIN_TOKEN and DEMO=0 for a real store.',
      );
    }
    if (!config.adminToken)
      console.warn('WARNING: ADMIN_TOKEN is not set: nobody can create users or review clips.');
    if (!configured) return;
    services.get().then(
      (s) => app.log.info({ keyId: s.keys.keyId }, 'evidence storage ready'),
      (err: Error) => console.error(`ERROR: ${err.message}`),
    );
  });
  app.addHook('onClose', async () => {
    stopRetention();
    await services.close();
  });
  return { services, alerts };
}
