// Service worker for offline use. The build (scripts/guideline_site/offline.py) writes it to the
// site root as sw.js with MANIFEST filled in; its scope is the site, wherever it is served.
// Three sources, joined in this order into one script: this file (what is kept, and the
// worker's life: install, activate, the pages' messages), service_worker_store.js (saving
// files: verified downloads, caches, the record of what is saved) and service_worker_fetch.js
// (answering the pages' requests).
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
//   kept only once every file arrived intact (a failed install deletes what it created).
// * One build per device: each <guideline>/offline.json names its build, and this worker keeps
//   and serves groups of its own build only. What it does not keep comes from the network
//   only when the server's listing is of this build and the file has the listed sha256; a
//   page of another build (the server was updated, this device not yet) is never run with
//   this build's scripts: the offline page stands in, says so, and the update is looked for.
// * The Pyodide runtime (~6 MB compressed) is cached only when a calculator has been
//   opened, or on "Make the calculators available offline". Its files live under a
//   versioned path and are cached by that version.
// * A new build waits: the page offers "Reload to update" and only then is it activated
//   (no skipWaiting under a clinician mid-assessment). Installing it refreshes the shell and
//   every saved guideline, fetching only files whose hash changed and keeping guidelines
//   whose group did not change as they are; activating it deletes what it replaced.
// * Cache names carry the scope, so two sites on one host never touch each other's caches.
// * The calculator worker keeps a memory snapshot of its interpreter per guideline in caches
//   named `snapshot:<digest>` (README, "Snapshot start"), with the bytes in a file of the same
//   name where the engine allows; this worker only deletes those a new build does not name,
//   caches and files, when it activates.

/**
 * @typedef {[path: string, integrity: string]} Listed a file and its sha256 (SRI form; "" for 404.html)
 * @typedef {{build: string, notFound: string, offlinePage: string, shell: Listed[], visited: string[],
 *            groupFile: string, groupSearch: string, savedSearch: string,
 *            runtime: {prefix: string, version: string, files: Listed[]}, snapshots: string[], snapshotFolder: string}} Manifest
 * @typedef {{skipWaiting: string, cacheRuntime: string, status: string, save: string, remove: string}} Messages
 * @typedef {{build: string, folder: string, hash: string, title: string, short_title: string, content_version: string,
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

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const current = await (await caches.open(STATE_CACHE)).match(CURRENT_KEY);
      const before = current ? await readState(await current.text()) : null;
      // All or nothing: every file of the shell and of every kept guideline is gathered
      // before any cache is written, so a failed download leaves nothing behind (the browser
      // may try again on the next request of the new build: no attempt shows another a half
      // filled cache). Writing that fails deletes every cache it created (never one the active
      // version uses, which may share a name when a group did not change).
      const earlierShell = before && (await caches.has(`${OWN_CACHES}site:${before.build}`));
      const previous = earlierShell && before ? { cache: await caches.open(`${OWN_CACHES}site:${before.build}`), files: before.shell } : null;
      /** @type {[string, [string, Response][]][]} */
      const writes = [[SHELL_CACHE, await gather(MANIFEST.shell, previous)]];
      /** @type {State} */
      const next = { build: MANIFEST.build, shell: MANIFEST.shell, groups: {} };
      // Every guideline the device keeps is brought to this build before it may take over.
      for (const [folder, kept] of Object.entries(before?.groups ?? {})) {
        const group = await fetchGroup(folder);
        if (!group) continue;
        const { saved, files } = await gatherGroup(group, kept);
        next.groups[folder] = saved;
        if (files.length) writes.push([saved.cache, files]);
      }
      /** @type {string[]} */
      const created = [];
      try {
        for (const [name, files] of writes) if (await store(name, files)) created.push(name);
        await writeState(next);
      } catch (error) {
        for (const name of created) await caches.delete(name);
        throw error;
      }
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
      // The calculators' memory snapshots this build names (the calculator worker makes them);
      // another build's are of another interpreter and go.
      for (const name of MANIFEST.snapshots) keep.add(OWN_CACHES + name);
      for (const name of await caches.keys()) {
        if (name.startsWith(OWN_CACHES) && !keep.has(name)) await caches.delete(name);
      }
      await deleteSnapshotFiles((name) => name.startsWith(OWN_CACHES) && !keep.has(name));
      await sw.clients.claim();
    }),
  );
});

/**
 * Delete the snapshot files the calculator worker keeps beside their caches (worker.mjs: the
 * folder `MANIFEST.snapshotFolder` of the origin private file system, each file named after its
 * cache, URI-encoded) whose cache `gone` names. None kept, or no such file system: nothing to do.
 * @param {(cache: string) => boolean} gone
 */
async function deleteSnapshotFiles(gone) {
  try {
    const storage = sw.navigator.storage;
    if (typeof storage?.getDirectory !== "function") return;
    const folder = await (await storage.getDirectory()).getDirectoryHandle(MANIFEST.snapshotFolder);
    const names = [];
    for await (const name of /** @type {any} */ (folder).keys()) names.push(name);
    for (const name of names) if (gone(decodeURIComponent(name))) await folder.removeEntry(name);
  } catch {
    // no folder: no snapshot was kept in a file
  }
}

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
  if (!Array.isArray(folders)) throw new Error("folders: a list of guideline folders, each ending in \"/\"");
  const own = await state();
  /** @type {string[]} */
  const missing = [];
  for (const folder of folders) {
    const group = siteFolder(folder) === null ? null : await fetchGroup(folder);
    if (!group) {
      missing.push(JSON.stringify(folder));
      continue;
    }
    const earlier = own.groups[folder];
    const saved = await saveGroup(group, earlier);
    own.groups[folder] = saved;
    await writeState(own);
    if (earlier && earlier.cache !== saved.cache) await caches.delete(earlier.cache);
  }
  if (missing.length) throw new Error(`not a guideline of this site: ${missing.join(", ")}`);
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
