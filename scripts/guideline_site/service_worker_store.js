// Saving files for the service worker (joined after service_worker.js into sw.js): downloads
// verified by their sha256, caches filled from an earlier copy where a file is unchanged, the
// record of what this build keeps, and one change at a time.

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
 * `files` to be saved, each as [url, response]: a file an earlier cache holds with the same hash
 * is taken from it, any other is downloaded and verified. Nothing is written here, so a file
 * that fails leaves nothing behind: no cache is created before every file arrived intact.
 * @param {Listed[]} files
 * @param {{cache: Cache, files: Listed[]} | null} earlier
 * @returns {Promise<[string, Response][]>}
 */
async function gather(files, earlier) {
  const known = new Map(earlier ? earlier.files : []);
  return Promise.all(
    files.map(async ([path, integrity]) => {
      const url = absolute(path);
      const kept = integrity && known.get(path) === integrity && earlier ? await earlier.cache.match(url) : undefined;
      return /** @type {[string, Response]} */ ([url, kept ?? (await download(url, integrity))]);
    }),
  );
}

/**
 * Write gathered files into the cache `name`. A cache this call created is deleted if writing
 * fails (storage full), so none is left half written.
 * @param {string} name
 * @param {[string, Response][]} files
 * @returns {Promise<boolean>} whether the cache was created here
 */
async function store(name, files) {
  const created = !(await caches.has(name));
  try {
    const cache = await caches.open(name);
    for (const [url, response] of files) await cache.put(url, response);
  } catch (error) {
    if (created) await caches.delete(name);
    throw error;
  }
  return created;
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
 * A folder of this site, such as "guideline/", or null: a path inside the scope, without a
 * query, a fragment, a percent-encoded character (`%2e%2e/` is `../` to URL parsing) or a
 * segment starting with a dot. Whether it is a guideline is the server's listing to say.
 * @param {unknown} folder
 * @returns {string | null}
 */
function siteFolder(folder) {
  if (typeof folder !== "string" || !/^([^/.%\\?#][^/%\\?#]*\/)+$/.test(folder)) return null;
  return absolute(folder).startsWith(SCOPE.href) ? folder : null;
}

/** Thrown when the server has another build than this worker's: nothing of it is kept or run. */
class AnotherBuild extends Error {}

/**
 * A guideline's group as this build lists it; null when the server has no such guideline of
 * this site (a site served under this site's path has listings of its own).
 * A listing of another build is refused (AnotherBuild): a device never keeps one build's
 * guideline beside another build's shell, nor runs it with another build's engine. So are
 * files listed outside the group's folder.
 * @param {string} folder a folder of this site (siteFolder), such as "guideline/"
 * @returns {Promise<Group | null>}
 */
async function fetchGroup(folder) {
  const response = await fetch(new Request(absolute(folder + MANIFEST.groupFile), { cache: "no-cache" }));
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${folder}${MANIFEST.groupFile}: ${response.status}`);
  const group = /** @type {Group} */ (await response.json());
  if (group.build !== MANIFEST.build) {
    throw new AnotherBuild(`${folder}: another version of the site is on the server (build ${group.build}; this device keeps build ${MANIFEST.build}), and is being installed`);
  }
  if (group.folder !== folder) return null; // another site's guideline, served under this site's path
  const outside = group.files.find(([path]) => !path.startsWith(folder) || !absolute(path).startsWith(absolute(folder)));
  if (outside) throw new Error(`${folder}${MANIFEST.groupFile} lists ${outside[0]}, outside its folder`);
  return group;
}

/**
 * Save one guideline's group in a cache named after its hash (the group file kept with it),
 * reusing files an earlier copy of the group holds unchanged. Nothing is written until every
 * file arrived intact.
 * @param {Group} group
 * @param {SavedGroup | undefined} earlier
 * @returns {Promise<{saved: SavedGroup, files: [string, Response][]}>} the record of the group
 *   and its files, to be written with `store(saved.cache, files)`; no files when `earlier` is
 *   the same group, already kept
 */
async function gatherGroup(group, earlier) {
  const name = groupCache(group.folder, group.hash);
  const { title, short_title, content_version, bytes, hash } = group;
  const saved = { cache: name, hash, title, short_title, content_version, bytes };
  if (earlier && earlier.cache === name && (await caches.has(name))) return { saved, files: [] };
  let previous = null;
  if (earlier && (await caches.has(earlier.cache))) {
    const cache = await caches.open(earlier.cache);
    const listing = await cache.match(absolute(group.folder + MANIFEST.groupFile));
    if (listing) previous = { cache, files: /** @type {Group} */ (await listing.json()).files };
  }
  const files = await gather(group.files, previous);
  const headers = { "Content-Type": "application/json" };
  files.push([absolute(group.folder + MANIFEST.groupFile), new Response(JSON.stringify(group), { headers })]);
  return { saved, files };
}

/**
 * Save one guideline's group (see gatherGroup), kept whole or not at all.
 * @param {Group} group
 * @param {SavedGroup | undefined} earlier
 * @returns {Promise<SavedGroup>}
 */
async function saveGroup(group, earlier) {
  const { saved, files } = await gatherGroup(group, earlier);
  if (files.length) await store(saved.cache, files);
  return saved;
}
