import path from 'node:path';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  distDir: string;
  posToken: string;
  /** True when POS_TOKEN was not set and the documented demo token is in use. */
  posTokenIsDemo: boolean;
  /** Most recent POS events kept per lane for replay after a kiosk reconnects. */
  replayWindow: number;
  maxBodyBytes: number;
  // Order video evidence (docs/server-api.md).
  /** Bootstrap admin bearer token (ADMIN_TOKEN); never stored. */
  adminToken?: string;
  /** Accept the demo enrolment code (DEMO; defaults to on when ADMIN_TOKEN is unset). */
  demo: boolean;
  /** Encrypts the server's private key at rest (KEY_PASSPHRASE). */
  keyPassphrase?: string;
  /** PostgreSQL for chains (DATABASE_URL); unset means the embedded database in DATA_DIR. */
  databaseUrl?: string;
  /** Largest encrypted clip a kiosk may upload (MAX_CLIP_BYTES, default 200 MB). */
  maxClipBytes: number;
  /** Body limit for record batches, which outgrow MAX_BODY_BYTES (MAX_RECORDS_BODY_BYTES, default 16 MB). */
  maxRecordsBodyBytes: number;
  /** How often retention runs (RETENTION_INTERVAL_MINUTES, default 60). */
  retentionIntervalMs: number;
}

/** The demo POS token, printed at start and in the README. Production sets POS_TOKEN. */
export const DEMO_POS_TOKEN = 'demo-pos-token';

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${name} must be 1/true/yes/on or 0/false/no/off, got "${value}"`);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined || value === '' ? fallback : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer 0..65535, got "${env.PORT}"`);
  }
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    distDir: path.resolve(env.DIST_DIR ?? 'dist'),
    posToken: env.POS_TOKEN || DEMO_POS_TOKEN,
    posTokenIsDemo: !env.POS_TOKEN,
    replayWindow: Number(env.REPLAY_WINDOW ?? 5000),
    maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 1024 * 1024),
    adminToken: env.ADMIN_TOKEN || undefined,
    demo: flag('DEMO', env.DEMO, !env.ADMIN_TOKEN),
    keyPassphrase: env.KEY_PASSPHRASE || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    maxClipBytes: positive('MAX_CLIP_BYTES', env.MAX_CLIP_BYTES, 200 * 1024 * 1024),
    maxRecordsBodyBytes: positive('MAX_RECORDS_BODY_BYTES', env.MAX_RECORDS_BODY_BYTES, 16 * 1024 * 1024),
    retentionIntervalMs: positive('RETENTION_INTERVAL_MINUTES', env.RETENTION_INTERVAL_MINUTES, 60) * 60_000,
  };
}
