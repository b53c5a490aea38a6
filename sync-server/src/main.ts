import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const { app } = await buildApp(config, { logger: process.env.LOG !== 'off' });
try {
  const address = await app.listen({ host: config.host, port: config.port });
  const tokenNote = config.posTokenIsDemo
    ? `POS relay token: ${config.posToken} (demo default; set POS_TOKEN in production)`
    : 'POS relay token: from POS_TOKEN';
  console.log(
    [
      `Lane companion server on ${address}`,
      `  kiosk:      ${address}/?lane=L01`,
      `  guide wall: ${address}/guide`,
      `  data:       ${config.dataDir}`,
      `  ${tokenNote}`,
    ].join('\n'),
  );
} catch (err) {
  console.error(`Could not start the server: ${(err as Error).message}`);
  process.exit(1);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
