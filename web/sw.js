// Keeps the page and its WebAssembly for use without a network once loaded (on localhost or
// https, where browsers allow a service worker). It only answers this page's own files.
const CACHE = 'xxgk-web-v1';
const FILES = ['./', 'index.html', 'app.js', 'worker.js', 'style.css', 'pkg/xxgk_web.js', 'pkg/xxgk_web_bg.wasm'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The network first (a rebuilt page is taken at once), the cache when there is none.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        const copy = response.clone();
        caches.open(CACHE).then((c) => c.put(event.request, copy));
        return response;
      })
      .catch(() => caches.match(event.request, { ignoreSearch: true })),
  );
});
