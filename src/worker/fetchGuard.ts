/**
 * The worker talks only to its own origin. @mediapipe/tasks-vision sends usage logs to a Google
 * host with fetch() (on close and every 60 s) and has no switch to turn that off. The page's CSP
 * would block it with a console error; here the request never leaves: it is answered locally with
 * a 204, which makes the library's logger stop for good, and counted in the metrics.
 */
export interface GuardScope {
  fetch: typeof fetch;
  location: { href: string; origin: string };
}

export function installFetchGuard(scope: GuardScope, onBlocked: (url: URL) => void): void {
  const original = scope.fetch.bind(scope);
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(raw, scope.location.href);
    const local =
      url.origin === scope.location.origin || url.protocol === 'blob:' || url.protocol === 'data:';
    if (!local) {
      onBlocked(url);
      return Promise.resolve(new Response(null, { status: 204, statusText: 'blocked: own origin only' }));
    }
    return original(input, init);
  };
}
