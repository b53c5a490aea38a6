import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { DEMO_GUIDE_TOKEN } from './lanes/laneAccess.ts';

const config = loadConfig();
const { app, evidence } = await buildApp(config, { logger: process.env.LOG !== 'off' });
// Open evidence storage before listening: the embedded database's first open takes seconds and
// blocks the event loop, and no request (a POS event, a lane stream) may wait behind that stall.
// A failure is printed and evidence routes answer 503 with it; the relay still starts.
const opening = Date.now();
await evidence.services.get().then(
  () => console.log(`Evidence storage open (${Date.now() - opening} ms)`),
  (err: Error) => console.error(`ERROR: ${err.message}`),
);
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
      ...(config.demo ? [`  guide wall login (demo mode only): ${DEMO_GUIDE_TOKEN}`] : []),
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
