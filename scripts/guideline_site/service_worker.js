// Service worker for offline use. The build (scripts/guideline_site/offline.py) writes it to the
// site root as sw.js with MANIFEST filled in; its scope is the site, wherever it is served.
//
// Decisions (see README, "Offline"):
// * What a device keeps does not grow with the library. Installing saves the site's shell
//   (theme, scripts, the calculator's code, the offline help page): a fixed set, listed here.
//   Each guideline is a group of its own (its text, calculator page, decision table, exports
//   and search index, listed in <guideline>/offline.json with each file's sha256), saved when
//   a page of it is read, or chosen on the offline page, and removable there. Pages of the
//   whole library (the catalogue, its search entries, the list of groups) are kept as last
//   seen, refreshed whenever the network answers.
// * Every file is fetched with its sha256 as Subresource Integrity; a group or a build is
//   kept only once every file arrived intact, so a device never runs a mix of two builds.
// * The Pyodide runtime (~6 MB compressed) is cached only when a calculator has been
//   opened, or on "Make the calculators available offline". Its files live under a
//   versioned path and are cached by that version.
// * A new build waits: the page offers "Reload to update" and only then is it activated
//   (no skipWaiting under a clinician mid-assessment). Installing it refreshes the shell and
//   every saved guideline, fetching only files whose hash changed and keeping guidelines
//   whose group did not change as they are; activating it deletes what it replaced.
// * Cache names carry the scope, so two sites on one host never touch each other's caches.

/**
 * @typedef {[path: string, integrity: string]} Listed a file and its sha256 (SRI form; "" for 404.html)
 * @typedef {{build: string, notFound: string, offlinePage: string, shell: Listed[], visited: string[],
 *            groupFile: string, groupSearch: string, savedSearch: string,
 *            runtime: {prefix: string, version: string, files: Listed[]}}} Manifest
 * @typedef {{skipWaiting: string, cacheRuntime: string, status: string, save: string, remove: string}} Messages
 * @typedef {{folder: string, hash: string, title: string, short_title: string, content_version: string,
 *            bytes: number, files: Listed[]}} Group a guideline's offline.json
 * @typedef {{cache: string, hash: string, title: string, short_title: string, content_version: string,
 *            bytes: number}} SavedGroup
 * @typedef {{build: string, shell: Listed[], groups: Record<string, SavedGroup>}} State
 */
const MANIFEST = /** @type {Manifest} */ (/* inserted by the build */ {});
const MESSAGES = /** @type {Messages} */ (/* inserted by the build */ {});

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const SCOPE = new URL(sw.registration.scope);
const OWN_CACHES = `${SCOPE.pathname}:`;
const SHELL_CACHE = `${OWN_CACHES}site:${MANIFEST.build}`;
const RUNTIME_CACHE = `${OWN_CACHES}runtime:${MANIFEST.runtime.version}`;
const VISITED_CACHE = `${OWN_CACHES}visited`;
const STATE_CACHE = `${OWN_CACHES}state`;
/** @param {string} folder @param {string} hash */
const groupCache = (folder, hash) => `${OWN_CACHES}guideline:${folder}:${hash}`;

/** @param {string} path */
const absolute = (path) => new URL(path, SCOPE).href;
const runtimeFiles = new Map(MANIFEST.runtime.files.map(([path, integrity]) => [absolute(path), integrity]));
const visited = new Set(MANIFEST.visited.map(absolute));
/** @param {string} build */
const stateKey = (build) => absolute(`__offline-state__/${build}.json`);
const CURRENT_KEY = absolute("__offline-state__/current");

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
  /** @type {Response} */
  let response;
  try {
    response = await fetch(new Request(url, options));
  } catch (error) {
    throw new Error(`${url}: ${error instanceof Error ? error.message : error}`);
  }
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response;
}

/**
 * A file to be saved, verified. First "no-cache": the browser revalidates its HTTP-cached copy
 * (a file the page has just loaded costs a 304, not a download). Once more with "reload" when
 * that fails: a server that judges freshness by modification time can answer 304 for a file
 * whose content changed (a site copied with its old dates kept), and the stale copy then fails
 * its hash; a dropped connection gets a second chance too.
 * @param {string} url
 * @param {string} integrity
 */
async function download(url, integrity) {
  try {
    return await fetchVerified(url, integrity, "no-cache");
  } catch {
    return await fetchVerified(url, integrity, "reload");
  }
}

/**
 * Fill `cache` with `files`: a file an earlier cache holds with the same hash is copied from
 * it, any other is downloaded and verified. All or nothing: the caller deletes a cache whose
 * filling failed.
 * @param {Cache} cache
 * @param {Listed[]} files
 * @param {{cache: Cache, files: Listed[]} | null} earlier
 */
async function fill(cache, files, earlier) {
  const known = new Map(earlier ? earlier.files : []);
  await Promise.all(
    files.map(async ([path, integrity]) => {
      const url = absolute(path);
      const kept = integrity && known.get(path) === integrity && earlier ? await earlier.cache.match(url) : undefined;
      await cache.put(url, kept ?? (await download(url, integrity)));
    }),
  );
}

/** @param {string} build @returns {Promise<State | null>} */
async function readState(build) {
  const found = await (await caches.open(STATE_CACHE)).match(stateKey(build));
  return found ? /** @type {State} */ (await found.json()) : null;
}

/** @param {State} state */
async function writeState(state) {
  const body = JSON.stringify(state);
  const headers = { "Content-Type": "application/json" };
  await (await caches.open(STATE_CACHE)).put(stateKey(state.build), new Response(body, { headers }));
  loaded = Promise.resolve(state);
}

/** This build's state (which guidelines it keeps, in which caches), read once per wake-up. */
/** @type {Promise<State> | null} */
let loaded = null;
function state() {
  loaded ??= readState(MANIFEST.build).then((found) => found ?? { build: MANIFEST.build, shell: [], groups: {} });
  return loaded;
}

/** Changes to what is saved happen one at a time (two pages may ask at once). */
let queue = Promise.resolve();
/**
 * @template T
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
function serially(work) {
  const done = queue.then(work);
  queue = done.then(
    () => undefined,
    () => undefined,
  );
  return done;
}

/**
 * A guideline's group as this build lists it; null when the build has no such guideline.
 * @param {string} folder a guideline folder, such as "guideline/"
 * @returns {Promise<Group | null>}
 */
async function fetchGroup(folder) {
  const response = await fetch(new Request(absolute(folder + MANIFEST.groupFile), { cache: "no-cache" }));
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${folder}${MANIFEST.groupFile}: ${response.status}`);
  const group = /** @type {Group} */ (await response.json());
  if (group.folder !== folder) throw new Error(`${folder}${MANIFEST.groupFile} describes ${group.folder}`);
  return group;
}

/**
 * Save one guideline's group in a cache named after its hash (the group file kept with it),
 * reusing files an earlier copy of the group holds unchanged.
 * @param {Group} group
 * @param {SavedGroup | undefined} earlier
 * @returns {Promise<SavedGroup>}
 */
async function saveGroup(group, earlier) {
  const name = groupCache(group.folder, group.hash);
  const { title, short_title, content_version, bytes, hash } = group;
  const saved = { cache: name, hash, title, short_title, content_version, bytes };
  if (earlier && earlier.cache === name && (await caches.has(name))) return saved;
  let previous = null;
  if (earlier && (await caches.has(earlier.cache))) {
    const cache = await caches.open(earlier.cache);
    const listing = await cache.match(absolute(group.folder + MANIFEST.groupFile));
    if (listing) previous = { cache, files: /** @type {Group} */ (await listing.json()).files };
  }
  const cache = await caches.open(name);
  try {
    await fill(cache, group.files, previous);
    const headers = { "Content-Type": "application/json" };
    await cache.put(absolute(group.folder + MANIFEST.groupFile), new Response(JSON.stringify(group), { headers }));
  } catch (error) {
    if (name !== earlier?.cache) await caches.delete(name);
    throw error;
  }
  return saved;
}

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const current = await (await caches.open(STATE_CACHE)).match(CURRENT_KEY);
      const before = current ? await readState(await current.text()) : null;
      const shell = await caches.open(SHELL_CACHE);
      const earlierShell = before && (await caches.has(`${OWN_CACHES}site:${before.build}`));
      const previous = earlierShell && before ? { cache: await caches.open(`${OWN_CACHES}site:${before.build}`), files: before.shell } : null;
      await fill(shell, MANIFEST.shell, previous);
      /** @type {State} */
      const next = { build: MANIFEST.build, shell: MANIFEST.shell, groups: {} };
      // Every guideline the device keeps is brought to this build before it may take over.
      for (const [folder, saved] of Object.entries(before?.groups ?? {})) {
        const group = await fetchGroup(folder);
        if (group) next.groups[folder] = await saveGroup(group, saved);
      }
      await writeState(next);
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  // In the queue of changes: a page may ask to save a guideline as soon as this version is
  // active, and the clean-up must not delete the cache that save has just begun to fill.
  event.waitUntil(
    serially(async () => {
      const own = await state();
      const states = await caches.open(STATE_CACHE);
      await states.put(CURRENT_KEY, new Response(MANIFEST.build));
      for (const request of await states.keys()) {
        if (request.url !== CURRENT_KEY && request.url !== stateKey(MANIFEST.build)) await states.delete(request);
      }
      const keep = new Set([SHELL_CACHE, RUNTIME_CACHE, VISITED_CACHE, STATE_CACHE]);
      for (const saved of Object.values(own.groups)) keep.add(saved.cache);
      for (const name of await caches.keys()) {
        if (name.startsWith(OWN_CACHES) && !keep.has(name)) await caches.delete(name);
      }
      await sw.clients.claim();
    }),
  );
});

/**
 * The cache key of a same-scope URL: directory URLs stand for their index.html.
 * @param {URL} url
 */
function siteKey(url) {
  const key = new URL(url.pathname, SCOPE);
  if (key.pathname.endsWith("/index.html")) key.pathname = key.pathname.slice(0, -"index.html".length);
  return key.href;
}

/**
 * The saved guideline a URL belongs to, if any.
 * @param {State} own
 * @param {string} key
 */
function savedGroupOf(own, key) {
  const folder = Object.keys(own.groups).find((saved) => key.startsWith(absolute(saved)));
  return folder === undefined ? undefined : own.groups[folder];
}

/**
 * Offline, a page this device does not keep: the offline help page in its place, told where
 * it is (its <base>) so that its links and scripts resolve, and that it stands in for another.
 */
async function notSaved() {
  const page = await (await caches.open(SHELL_CACHE)).match(absolute(MANIFEST.offlinePage));
  if (!page) return Response.error();
  const base = `<base href="${absolute(MANIFEST.offlinePage)}" data-offline-fallback>`;
  const html = (await page.text()).replace("<head>", `<head>${base}`);
  return new Response(html, { status: 503, statusText: "Offline", headers: page.headers });
}

/** The search entries of every guideline kept on this device (the search worker's saved.json). */
async function savedSearch() {
  const own = await state();
  /** @type {unknown[]} */
  const docs = [];
  for (const [folder, saved] of Object.entries(own.groups)) {
    const url = absolute(folder + MANIFEST.groupSearch);
    const index = await (await caches.open(saved.cache)).match(url);
    if (index) docs.push(.../** @type {{docs: unknown[]}} */ (await index.json()).docs);
  }
  return new Response(JSON.stringify({ docs }), { headers: { "Content-Type": "application/json" } });
}

/**
 * A cached response for a request with a query or a fragment: the same body without the cached
 * URL, so that the document or worker it starts sees its own address, query and fragment
 * included (the search worker reads its parameters from its fragment).
 * @param {Request} request
 * @param {Response} cached
 */
function asRequested(request, cached) {
  const { search, hash } = new URL(request.url);
  if (!search && !hash) return cached;
  const { status, statusText, headers } = cached;
  return new Response(cached.body, { status, statusText, headers });
}

/** @param {Request} request */
async function fromSite(request) {
  const key = siteKey(new URL(request.url));
  if (key === absolute(MANIFEST.savedSearch)) return savedSearch();
  const kept = await (await caches.open(SHELL_CACHE)).match(key);
  if (kept) return asRequested(request, kept);
  const saved = savedGroupOf(await state(), key);
  if (saved) {
    const cached = await (await caches.open(saved.cache)).match(key);
    if (cached) return asRequested(request, cached);
  }
  try {
    const response = await fetch(request);
    if (visited.has(key) && response.ok) await (await caches.open(VISITED_CACHE)).put(key, response.clone());
    return response;
  } catch (error) {
    const last = visited.has(key) ? await (await caches.open(VISITED_CACHE)).match(key) : undefined;
    if (last) return last;
    if (request.mode !== "navigate") throw error;
    if (saved) {
      // A page its guideline does not have: the site's own 404.
      const missing = await (await caches.open(SHELL_CACHE)).match(absolute(MANIFEST.notFound));
      if (missing) return new Response(missing.body, { status: 404, statusText: "Not Found", headers: missing.headers });
    }
    return notSaved();
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

/** What the device keeps: this build, the runtime, and each saved guideline by folder. */
async function status() {
  const { groups } = await state();
  const saved = Object.entries(groups).map(([folder, { title, short_title, content_version, bytes }]) => ({
    folder,
    title,
    short_title,
    content_version,
    bytes,
  }));
  return { build: MANIFEST.build, runtimeCached: await runtimeCached(), saved };
}

/**
 * Save guidelines (by folder) on the device; each is kept whole or not at all.
 * @param {unknown} folders
 */
async function save(folders) {
  if (!Array.isArray(folders) || !folders.every((f) => typeof f === "string" && /^([^/.][^/]*\/)+$/.test(f))) {
    throw new Error("folders: a list of guideline folders, each ending in \"/\"");
  }
  const own = await state();
  /** @type {string[]} */
  const missing = [];
  for (const folder of folders) {
    const group = await fetchGroup(folder);
    if (!group) {
      missing.push(folder);
      continue;
    }
    const earlier = own.groups[folder];
    const saved = await saveGroup(group, earlier);
    own.groups[folder] = saved;
    await writeState(own);
    if (earlier && earlier.cache !== saved.cache) await caches.delete(earlier.cache);
  }
  if (missing.length) throw new Error(`no such guideline in this site: ${missing.join(", ")}`);
  return status();
}

/**
 * Remove a guideline from the device.
 * @param {unknown} folder
 */
async function remove(folder) {
  const own = await state();
  const saved = typeof folder === "string" ? own.groups[folder] : undefined;
  if (!saved) throw new Error(`folder: ${JSON.stringify(folder)} is not saved on this device`);
  delete own.groups[/** @type {string} */ (folder)];
  await writeState(own);
  await caches.delete(saved.cache);
  return status();
}

// Requests from pages carry a MessagePort; each gets one reply: {ok, ...} or {ok: false, error}.
sw.addEventListener("message", (event) => {
  /** @param {object} message */
  const reply = (message) => event.ports[0]?.postMessage(message);
  const { type, folders, folder } = event.data ?? {};
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
    [MESSAGES.status]: status,
    [MESSAGES.save]: () => serially(() => save(folders)),
    [MESSAGES.remove]: () => serially(() => remove(folder)),
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
