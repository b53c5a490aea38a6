import { describe, expect, it } from 'vitest';
import { installFetchGuard, type GuardScope } from './fetchGuard.ts';

describe('installFetchGuard', () => {
  const make = () => {
    const seen: string[] = [];
    const scope: GuardScope = {
      fetch: async (input) => {
        seen.push(String(input instanceof Request ? input.url : input));
        return new Response('ok', { status: 200 });
      },
      location: { href: 'http://127.0.0.1:8799/assets/visionWorker.js', origin: 'http://127.0.0.1:8799' },
    };
    const blocked: string[] = [];
    installFetchGuard(scope, (u) => blocked.push(u.host));
    return { scope, seen, blocked };
  };

  it('lets same-origin, relative and blob requests through', async () => {
    const { scope, seen, blocked } = make();
    await scope.fetch('/models/face_detector_short_range.tflite');
    await scope.fetch(new URL('http://127.0.0.1:8799/mediapipe/x.wasm'));
    await scope.fetch('blob:http://127.0.0.1:8799/abc');
    expect(seen).toHaveLength(3);
    expect(blocked).toEqual([]);
  });

  it('answers requests to other origins locally, without a network request', async () => {
    const { scope, seen, blocked } = make();
    const res = await scope.fetch('https://odml.pa.googleapis.com/v1/log', { method: 'POST' });
    expect(res.status).toBe(204);
    await scope.fetch(new Request('https://example.com/x'));
    expect(seen).toEqual([]);
    expect(blocked).toEqual(['odml.pa.googleapis.com', 'example.com']);
  });
});
