import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built PWA. HTML, the service worker and the manifest are always revalidated so a
 * new version reaches the lanes; content-hashed assets are cached for good.
 */
export async function registerStaticRoutes(app: FastifyInstance, distDir: string): Promise<void> {
  if (!fs.existsSync(path.join(distDir, 'index.html'))) {
    app.log.warn(`no built kiosk in ${distDir}: run "npm run build" (npm start does it for you)`);
    app.get('/', async (_req, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send(`The kiosk is not built. Run "npm run build" first (looked in ${distDir}).`),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: distDir,
    index: ['index.html'],
    setHeaders(res, filePath) {
      const base = path.basename(filePath);
      // The kiosk talks only to its own origin: this also stops third-party telemetry built into libraries.
      if (base.endsWith('.html'))
        res.header('content-security-policy', "connect-src 'self'; object-src 'none'; base-uri 'self'");
      if (filePath.includes(`${path.sep}assets${path.sep}`)) {
        res.header('cache-control', 'public, max-age=31536000, immutable');
      } else if (
        base.endsWith('.html') ||
        base === 'sw.js' ||
        base.endsWith('.webmanifest') ||
        base.startsWith('workbox-')
      ) {
        res.header('cache-control', 'no-cache');
      }
    },
  });
  app.get('/guide', async (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('guide.html'));
}
