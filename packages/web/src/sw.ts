/**
 * The page's service worker, so that it works offline once loaded: on install it caches every
 * file of the build (the list is written into this file by the Vite config's `offline` plugin),
 * then serves them from the cache. Pages are fetched from the network first (a new build shows
 * up when online) and from the cache when offline. Registered by main.ts in production builds
 * only.
 */

/** The minimal service-worker types used here (the DOM library has no worker scope). */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface ServiceWorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly registration: { readonly scope: string };
}

const scope = self as unknown as ServiceWorkerScope;

export {};

/** The build's files (relative to this script), prepended to sw.js by the Vite config. */
const files: string[] = (self as unknown as { __ASL_PRECACHE__?: string[] }).__ASL_PRECACHE__ ?? [];
const prefix = 'asl-explorer-';
/** One cache per build, named by a hash of the file list (whose names carry content hashes). */
const cacheName = `${prefix}${hash(JSON.stringify(files))}`;

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

scope.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await cache.addAll(['./', ...files]);
      await scope.skipWaiting();
    })(),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys())
        if (key.startsWith(prefix) && key !== cacheName) await caches.delete(key);
      await scope.clients.claim();
    })(),
  );
});

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(scope.registration.scope)) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(
        async () => (await caches.match('./', { cacheName, ignoreVary: true })) ?? Response.error(),
      ),
    );
    return;
  }
  event.respondWith(
    (async () =>
      (await caches.match(request, { cacheName, ignoreSearch: true, ignoreVary: true })) ??
      fetch(request))(),
  );
});
