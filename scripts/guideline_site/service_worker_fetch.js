// Answering the pages' requests for the service worker (joined after service_worker.js into
// sw.js): the shell and saved guidelines from their caches, the runtime verified and kept, and
// offline, the offline page for what this device does not keep.

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
 * The offline help page in place of a page this device cannot show, told where it is (its
 * <base>) so that its links and scripts resolve, and why it stands in: "offline" (a page this
 * device does not keep, and no network) or "another-build" (the server has another version
 * of the site than this device, whose scripts must not run that version's page).
 * @param {"offline" | "another-build"} reason
 */
async function standIn(reason) {
  const page = await (await caches.open(SHELL_CACHE)).match(absolute(MANIFEST.offlinePage));
  if (!page) return Response.error();
  const base = `<base href="${absolute(MANIFEST.offlinePage)}" data-offline-fallback="${reason}">`;
  const html = (await page.text()).replace("<head>", `<head>${base}`);
  return new Response(html, { status: 503, statusText: "Offline", headers: page.headers });
}

/** Listings of this build's groups, fetched once per wake-up (a build's listing never changes). */
/** @type {Map<string, Group>} */
const listings = new Map();

/**
 * The sha256 this build lists for a file of a guideline it does not keep: "" for a file of no
 * guideline (or one its guideline does not list); AnotherBuild when the server has another build.
 * @param {string} key
 */
async function listedIntegrity(key) {
  const path = key.slice(SCOPE.href.length);
  for (let end = path.indexOf("/"); end !== -1; end = path.indexOf("/", end + 1)) {
    const folder = path.slice(0, end + 1);
    let group = listings.get(folder);
    if (!group && siteFolder(folder) !== null) {
      group = (await fetchGroup(folder)) ?? undefined;
      if (group) listings.set(folder, group);
    }
    if (group) return new Map(group.files).get(path) ?? "";
  }
  return "";
}

/**
 * A file this device does not keep, from the network: a guideline's file only if it is the one
 * this build lists (its sha256 checked), so that no page, guideline or script of another build
 * runs with this build's shell. Network failures are thrown, for the caller's offline answers.
 * @param {Request} request
 * @param {string} key
 */
async function fromNetwork(request, key) {
  /** @type {string} */
  let integrity;
  try {
    integrity = await listedIntegrity(key);
  } catch (error) {
    if (error instanceof AnotherBuild) return anotherBuild(request);
    throw error;
  }
  if (!integrity) return fetch(request);
  // Checked here rather than by Subresource Integrity, which cannot tell a changed file from
  // a lost connection. A second try bypasses the HTTP cache (a stale copy revalidated as 304).
  for (const cache of /** @type {RequestCache[]} */ (["no-cache", "reload"])) {
    const response = await fetch(new Request(key, { cache, credentials: "same-origin" }));
    const body = await response.arrayBuffer();
    if (response.ok && (await sha256Integrity(body)) === integrity) {
      const { status, statusText, headers } = response;
      return new Response(body, { status, statusText, headers });
    }
  }
  return anotherBuild(request);
}

/**
 * The server has another version of the site than this device: nothing of it runs here. The
 * browser is asked to install that version (the page then offers "Reload to update"), unless
 * an install is under way: another request would queue a second attempt behind it.
 * @param {Request} request
 */
function anotherBuild(request) {
  if (!sw.registration.installing) sw.registration.update().catch(() => undefined);
  return request.mode === "navigate" ? standIn("another-build") : Response.error();
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
    const response = await fromNetwork(request, key);
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
    return standIn("offline");
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
