import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * A chain's kiosk settings live in DATA_DIR/kiosk-config.json (see README, "Configuration"), so they
 * change without a rebuild. A missing file means defaults; a broken one is reported, not served.
 */
export function registerKioskConfigRoute(app: FastifyInstance, dataDir: string): void {
  app.get('/kiosk-config.json', async (req, reply) => {
    const file = path.join(dataDir, 'kiosk-config.json');
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return reply.header('cache-control', 'no-cache').send({});
    }
    try {
      return reply.header('cache-control', 'no-cache').send(JSON.parse(text));
    } catch (err) {
      req.log.error(`${file} is not valid JSON: ${(err as Error).message}`);
      return reply.code(500).send({ error: 'bad-config', message: `${file} is not valid JSON` });
    }
  });
}
