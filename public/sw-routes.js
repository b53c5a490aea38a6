// Imported by the generated service worker (vite.config.ts, workbox.importScripts).
//
// The store server's API never comes from the cache, so its requests bypass the service worker
// entirely (static routing, Chromium 123+). This is what lets a new version take over between
// transactions: Chromium activates a skip-waiting worker only once the old one is idle, and any
// request that reaches the old one while it is being stopped restarts it with its normal 30 s idle
// timer. The sync, upload and status requests that follow every transaction's end kept it awake
// for minutes (Chromium's 5-minute lame-duck limit), see README "Status".
self.addEventListener('install', (event) => {
  if (typeof event.addRoutes !== 'function') return;
  // A refused rule must not fail the install: the worker then works as before, only slower to swap.
  event.waitUntil(
    event
      .addRoutes([{ condition: { urlPattern: '/api/*' }, source: 'network' }])
      .catch((err) => console.warn(`static routes not added: ${err && err.message}`)),
  );
});
