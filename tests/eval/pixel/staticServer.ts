/**
 * A static server for the evaluation: the built kiosk at / (so the harness, the worker, the wasm
 * and the models come from one origin, as on a lane) plus shared media and extracted frames under
 * /__pixel/. Loopback only.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** The app's CSP (sync-server/src/http/staticRoutes.ts), so the harness runs under the same rules. */
export const APP_CSP = "connect-src 'self'; object-src 'none'; base-uri 'self'";
export const PIXEL_PREFIX = '/__pixel/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.mp4': 'video/mp4',
};

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps /__pixel/media/<rel> and /__pixel/frames/<rel> to files; null for anything else or for a
 * path that escapes its folder.
 */
export function pixelFile(pathname: string, mediaDir: string, framesDir: string): string | null {
  if (!pathname.startsWith(PIXEL_PREFIX)) return null;
  const rest = decodeURIComponent(pathname.slice(PIXEL_PREFIX.length));
  const [head, ...tail] = rest.split('/');
  const root = head === 'media' ? mediaDir : head === 'frames' ? framesDir : null;
  if (!root) return null;
  const file = path.resolve(root, path.normalize(tail.join('/')));
  return file.startsWith(path.resolve(root) + path.sep) ? file : null;
}

export interface RunningServer {
  origin: string;
  close(): Promise<void>;
}

export async function startEvalServer(
  distDir: string,
  mediaDir: string,
  framesDir: string,
): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    let file = pixelFile(pathname, mediaDir, framesDir);
    if (!file && !pathname.startsWith(PIXEL_PREFIX)) {
      const rel = path.normalize(decodeURIComponent(pathname)).replace(/^[/\\]+/, '');
      const candidate = path.resolve(distDir, rel || 'index.html');
      if (candidate.startsWith(path.resolve(distDir))) file = candidate;
    }
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string> = { 'content-type': contentType(file) };
    if (file.endsWith('.html')) headers['content-security-policy'] = APP_CSP;
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
