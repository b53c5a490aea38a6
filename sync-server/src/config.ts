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
}

/** The demo POS token, printed at start and in the README. Production sets POS_TOKEN. */
export const DEMO_POS_TOKEN = 'demo-pos-token';

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
  };
}
