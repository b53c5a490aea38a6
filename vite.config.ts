import { defaultClientConditions, defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import {
  mediapipeAssets,
  MEDIAPIPE_MAX_PRECACHE_BYTES,
  MEDIAPIPE_PRECACHE_GLOBS,
} from './src/recording/viteMediapipeAssets.ts';
import {
  ortAssets,
  ORT_MAX_PRECACHE_BYTES,
  ORT_PRECACHE_GLOBS,
  ORT_RESOLVE_CONDITION,
} from './src/worker/ort/viteOrtAssets.ts';

// The kiosk (index.html) is precached whole so a lane starts without the server; the guide wall is online-only.
export default defineConfig({
  plugins: [
    preact(),
    // Models -> /models/, tasks-vision wasm -> /mediapipe/ (our origin only; see docs/recording.md).
    mediapipeAssets(),
    // onnxruntime-web's JSEP runtime -> /ort/ (label reader; see src/worker/ort/viteOrtAssets.ts).
    ortAssets(),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'prompt',
      injectRegister: false,
      filename: 'sw.js',
      manifest: {
        name: 'Lane companion',
        short_name: 'Lane',
        description: 'Self-checkout lane companion: live mirror, prompts, lane light.',
        start_url: '/',
        display: 'fullscreen',
        background_color: '#0b1220',
        theme_color: '#0b1220',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: [
          '**/*.{js,css,html,svg,png,ogg,json,webmanifest}',
          ...MEDIAPIPE_PRECACHE_GLOBS,
          ...ORT_PRECACHE_GLOBS,
        ],
        maximumFileSizeToCacheInBytes: Math.max(MEDIAPIPE_MAX_PRECACHE_BYTES, ORT_MAX_PRECACHE_BYTES),
        // The pixel evaluation page (tests/eval/pixel/harness) ships in the build for the evaluation
        // only: lanes never precache it.
        globIgnores: ['guide.html', '**/guide-*.js', '**/guide-*.css', 'tests/**', '**/pixelEval*'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/guide/],
        cleanupOutdatedCaches: true,
        // /api/* bypasses the worker (static routing), so lane traffic cannot hold an update back.
        importScripts: ['sw-routes.js'],
        // A new version waits until the lane is idle (src/kiosk/swUpdate.ts), never mid-transaction.
        skipWaiting: false,
        clientsClaim: false,
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname === '/kiosk-config.json',
            handler: 'NetworkFirst',
            options: { cacheName: 'kiosk-config', networkTimeoutSeconds: 3 },
          },
        ],
      },
    }),
  ],
  // onnxruntime-web without its inlined wasm URL: the runtime is loaded from /ort/ only (one copy).
  resolve: { conditions: [ORT_RESOLVE_CONDITION, ...defaultClientConditions] },
  build: {
    // Separate output folders let several checkouts' test runs share one machine.
    outDir: process.env.KIOSK_OUT_DIR ?? 'dist',
    target: 'es2022',
    rollupOptions: {
      input: { main: 'index.html', guide: 'guide.html', pixelEval: 'tests/eval/pixel/harness/index.html' },
    },
  },
  worker: { format: 'es' },
});
