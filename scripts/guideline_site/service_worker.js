// Service worker for offline use. The build (scripts/guideline_site/offline.py) writes it to the
// site root as sw.js with MANIFEST filled in; its scope is the site, wherever it is served.
//
// Decisions (see README, "Offline"):
// * Every file of the site except the Python runtime is precached at install, each
//   fetched with its sha256 as Subresource Integrity, into a cache named after this
//   build. Install fails (and the old version keeps serving) unless every file arrives
//   intact, so a device never runs a mix of two builds.
// * The Pyodide runtime (~6 MB compressed) is cached only when a calculator has been
//   opened, or on "Make available offline". Its files live under a versioned path and
//   are cached by that version.
// * A new build waits: the page offers "Reload to update" and only then is it activated
//   (no skipWaiting under a clinician mid-assessment). The old caches are deleted then.
// * Cache names carry the scope, so two sites on one host never touch each other's caches.

/**
 * @typedef {[path: string, integrity: string]} Listed a file and its sha256 (SRI form; "" for 404.html)
 * @typedef {{build: string, notFound: string, precache: Listed[],
 *            runtime: {prefix: string, version: string, files: Listed[]}}} Manifest
 * @typedef {{skipWaiting: string, cacheRuntime: string, status: string}} Messages
 */
const MANIFEST = /** @type {Manifest} */ (/* inserted by the build */ {});
const MESSAGES = /** @type {Messages} */ (/* inserted by the build */ {});

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const SCOPE = new URL(sw.registration.scope);
const SITE_CACHE = `${SCOPE.pathname}:site:${MANIFEST.build}`;
const RUNTIME_CACHE = `${SCOPE.pathname}:runtime:${MANIFEST.runtime.version}`;
const OWN_CACHES = `${SCOPE.pathname}:`;

/** @param {string} path */
const absolute = (path) => new URL(path, SCOPE).href;
const runtimeFiles = new Map(MANIFEST.runtime.files.map(([path, integrity]) => [absolute(path), integrity]));

/**
 * Fetch a file and check its sha256 (Subresource Integrity); `cache` is the HTTP cache mode.
 * An empty integrity means a file the server rewrites (404.html's base): not checked.
 * @param {string} url
 * @param {string} integrity
 * @param {RequestCache} cache
 */
async function fetchVerified(url, integrity, cache) {
  /** @type {RequestInit} */
  const options = { cache, credentials: "same-origin", ...(integrity ? { integrity } : {}) };
  const response = await fetch(new Request(url, options));
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response;
}

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SITE_CACHE);
      await Promise.all(
        MANIFEST.precache.map(async ([path, integrity]) => {
          const url = absolute(path);
          // "no-cache": revalidate, so an outdated HTTP-cached copy never fails the install.
          await cache.put(url, await fetchVerified(url, integrity, "no-cache"));
        }),
      );
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(OWN_CACHES) && name !== SITE_CACHE && name !== RUNTIME_CACHE) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

/**
 * The precache key of a same-scope URL: directory URLs stand for their index.html.
 * @param {URL} url
 */
function siteKey(url) {
  const key = new URL(url.pathname, SCOPE);
  if (key.pathname.endsWith("/index.html")) key.pathname = key.pathname.slice(0, -"index.html".length);
  return key.href;
}

/** @param {Request} request */
async function fromSite(request) {
  const url = new URL(request.url);
  const cache = await caches.open(SITE_CACHE);
  const cached = await cache.match(siteKey(url));
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode !== "navigate") throw error;
    const missing = await cache.match(absolute(MANIFEST.notFound));
    if (!missing) throw error;
    return new Response(missing.body, { status: 404, statusText: "Not Found", headers: missing.headers });
  }
}

/**
 * The SRI form ("sha256-<base64>") of a body's sha256.
 * @param {ArrayBuffer} body
 */
async function sha256Integrity(body) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  return `sha256-${btoa(String.fromCharCode(...digest))}`;
}

/**
 * Keep a runtime file the calculator fetched, only if it is byte for byte the one the build listed.
 * @param {string} url
 * @param {Response} response
 * @param {string} integrity
 */
async function keepVerified(url, response, integrity) {
  const body = await response.arrayBuffer();
  if ((await sha256Integrity(body)) !== integrity) return; // damaged or altered on the way: never kept
  const { status, statusText, headers } = response;
  await (await caches.open(RUNTIME_CACHE)).put(url, new Response(body, { status, statusText, headers }));
}

/** @param {FetchEvent} event */
async function fromRuntime(event) {
  const key = new URL(event.request.url);
  key.search = "";
  const cached = await (await caches.open(RUNTIME_CACHE)).match(key.href);
  if (cached) return cached;
  const response = await fetch(event.request);
  const integrity = runtimeFiles.get(key.href);
  // The page gets the response at once (the wasm compiles while it streams); the copy is
  // checked and kept in the background.
  if (response.status === 200 && integrity) event.waitUntil(keepVerified(key.href, response.clone(), integrity));
  return response;
}

sw.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE.href)) return;
  const path = new URL(request.url).pathname;
  if (path.startsWith(new URL(MANIFEST.runtime.prefix, SCOPE).pathname)) event.respondWith(fromRuntime(event));
  else event.respondWith(fromSite(request));
});

async function runtimeCached() {
  if (!(await caches.has(RUNTIME_CACHE))) return false; // asking never creates an empty cache
  const cache = await caches.open(RUNTIME_CACHE);
  const present = await Promise.all([...runtimeFiles.keys()].map((url) => cache.match(url)));
  return present.every(Boolean);
}

async function cacheRuntime() {
  const cache = await caches.open(RUNTIME_CACHE);
  for (const [url, integrity] of runtimeFiles) {
    // Versioned, immutable files: whatever the HTTP cache holds from the calculator's boot will do.
    if (!(await cache.match(url))) await cache.put(url, await fetchVerified(url, integrity, "default"));
  }
}

// Requests from pages carry a MessagePort; each gets one reply: {ok, ...} or {ok: false, error}.
sw.addEventListener("message", (event) => {
  /** @param {object} message */
  const reply = (message) => event.ports[0]?.postMessage(message);
  const { type } = event.data ?? {};
  /** @type {Record<string, () => Promise<object>>} */
  const requests = {
    [MESSAGES.skipWaiting]: async () => {
      await sw.skipWaiting();
      return {};
    },
    [MESSAGES.cacheRuntime]: async () => {
      await cacheRuntime();
      return { runtimeCached: true };
    },
    [MESSAGES.status]: async () => ({ build: MANIFEST.build, runtimeCached: await runtimeCached() }),
  };
  const work = requests[type];
  if (!work) return reply({ ok: false, error: `unknown request ${JSON.stringify(type)}` });
  event.waitUntil(
    work().then(
      (result) => reply({ ok: true, ...result }),
      (error) => reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    ),
  );
});
