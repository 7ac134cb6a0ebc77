// The offline page: which guidelines this device keeps (remove any), and the others to choose
// from, each with the size it takes, before anything is downloaded. The list of guidelines
// (offline/groups.json) comes from the network; offline, the page shows what is kept. Shown by
// the service worker in place of a page the device does not keep, it says so first.
(function () {
  "use strict";
  var script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  var root = document.querySelector("[data-offline-page]");
  /** @type {any} */
  var offline = /** @type {any} */ (window).gcOffline;
  if (!root) return;
  var page = root;
  var kept = /** @type {HTMLElement} */ (page.querySelector("[data-offline-kept]"));
  var form = /** @type {HTMLFormElement} */ (page.querySelector("[data-offline-choose]"));
  var rows = /** @type {HTMLElement} */ (page.querySelector("[data-offline-rows]"));
  var saveChosen = /** @type {HTMLButtonElement} */ (page.querySelector("[data-offline-save]"));
  var saveAll = /** @type {HTMLButtonElement} */ (page.querySelector("[data-offline-save-all]"));
  var shell = /** @type {HTMLElement} */ (page.querySelector("[data-offline-shell]"));
  var progress = /** @type {HTMLElement} */ (page.querySelector("[data-offline-progress]"));
  var missing = /** @type {HTMLElement} */ (page.querySelector("[data-offline-missing]"));

  // Standing in for a page the device cannot show (the service worker set this <base>): one
  // it does not keep, offline, or one of another version of the site than the device's.
  var base = document.querySelector("base[data-offline-fallback]");
  if (base && offline) {
    var reason = base.getAttribute("data-offline-fallback") === "another-build" ? "offline.page.another_build" : "offline.page.missing";
    missing.textContent = offline.t(reason, { url: location.href });
    missing.hidden = false;
  }
  if (!offline) {
    form.hidden = true; // offline.js says why offline use is unavailable here
    return;
  }

  var groupsUrl = new URL((script && script.getAttribute("data-groups")) || "groups.json", document.baseURI).href;
  var siteRoot = new URL((script && script.getAttribute("data-root")) || "../", document.baseURI);
  /** @type {(key: string, values?: Record<string, string | number>) => string} */
  var t = offline.t;

  /**
   * @typedef {{folder: string, title: string, short_title: string, content_version: string, bytes: number}} Group
   * @typedef {{shell: {bytes: number}, runtime: {bytes: number}, guidelines: Group[]}} Groups
   */

  var decimal = new Intl.NumberFormat(offline.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var whole = new Intl.NumberFormat(offline.language, { maximumFractionDigits: 0 });

  /** A size as the site's language writes it: "1.5 MB" in English, "1,5 Mo" in French.
   * @param {number} bytes */
  function size(bytes) {
    if (bytes >= 1e6) return t("offline.page.size_mb", { size: decimal.format(bytes / 1e6) });
    return t("offline.page.size_kb", { size: whole.format(Math.max(1, Math.round(bytes / 1e3))) });
  }

  /**
   * @param {string} tag
   * @param {Record<string, string>} [attributes]
   * @param {...(Node | string)} children
   */
  function el(tag, attributes, ...children) {
    var node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(function (entry) {
      node.setAttribute(entry[0], entry[1]);
    });
    node.append(...children);
    return node;
  }

  // The calculators' memory snapshots (README, "Snapshot start"): a copy of Python with a
  // guideline loaded, made by the calculator's worker on this device; never an answer. Their
  // caches are named `<site path>:snapshot:<digest>` (guideline_site.assets.snapshot_cache), and
  // the worker keeps their bytes in files of one folder; the build gives both names.
  var snapshotNames = script && script.getAttribute("data-snapshot-prefix");
  var snapshotPrefix = snapshotNames ? siteRoot.pathname + ":" + snapshotNames : null;
  var snapshotFolder = script && script.getAttribute("data-snapshot-folder");
  /** @type {{names: string[], bytes: number}} */
  var snapshots = { names: [], bytes: 0 };

  function readSnapshots() {
    if (!self.caches || !snapshotPrefix) return Promise.resolve();
    var prefix = snapshotPrefix;
    return caches
      .keys()
      .then(function (names) {
        var own = names.filter(function (name) {
          return name.indexOf(prefix) === 0;
        });
        return Promise.all(
          own.map(function (name) {
            return caches.open(name).then(function (cache) {
              return cache.keys().then(function (requests) {
                return Promise.all(
                  requests.map(function (request) {
                    return cache.match(request).then(function (response) {
                      return Number(response && response.headers.get("x-snapshot-stored-bytes")) || 0;
                    });
                  }),
                );
              });
            });
          }),
        ).then(function (sizes) {
          snapshots = {
            names: own,
            bytes: sizes.flat().reduce(function (sum, bytes) {
              return sum + bytes;
            }, 0),
          };
        });
      })
      .catch(function () {});
  }

  /**
   * A snapshot's bytes, where the calculator worker kept them in a file beside its cache
   * (worker.mjs: the folder `snapshotFolder` of the origin private file system, the file named
   * after the cache, URI-encoded). Resolves in every case: no file is nothing to remove.
   * @param {string} name the snapshot's cache
   */
  function removeSnapshotFile(name) {
    var storage = navigator.storage;
    var folderName = snapshotFolder || "";
    if (!folderName || !storage || typeof storage.getDirectory !== "function") return Promise.resolve();
    return storage
      .getDirectory()
      .then(function (root) {
        return root.getDirectoryHandle(folderName);
      })
      .then(function (folder) {
        return folder.removeEntry(encodeURIComponent(name));
      })
      .catch(function () {});
  }

  /** The snapshots' line: their size, and a button to remove them. */
  function snapshotLine() {
    var remove = el("button", { type: "button", class: "md-button", "aria-label": t("offline.page.snapshots_remove") }, t("offline.page.remove_label"));
    remove.addEventListener("click", function () {
      Promise.all(
        snapshots.names.map(function (name) {
          return Promise.all([caches.delete(name), removeSnapshotFile(name)]);
        }),
      )
        .then(readSnapshots)
        .then(function () {
          progress.textContent = t("offline.page.snapshots_removed");
          render();
        });
    });
    return el("p", { "data-offline-snapshots": "" }, t("offline.page.snapshots", { size: size(snapshots.bytes) }), " ", remove);
  }

  /** @type {Group[]} */
  var saved = [];
  /** @type {Groups | null} */
  var groups = null;

  function render() {
    var keptFolders = saved.map(function (group) {
      return group.folder;
    });
    if (!saved.length) {
      kept.replaceChildren(el("p", {}, t("offline.page.none")));
    } else {
      var list = el("ul", { class: "gc-offline-kept" });
      saved.forEach(function (group) {
        var remove = el("button", { type: "button", class: "md-button", "aria-label": t("offline.page.remove", { short_title: group.short_title }) }, t("offline.page.remove_label"));
        remove.addEventListener("click", function () {
          run(offline.ask(offline.messages.remove, { folder: group.folder }), t("offline.page.removed", { short_title: group.short_title }));
        });
        var link = el("a", { href: new URL(group.folder, siteRoot).href }, group.title);
        list.append(el("li", { "data-offline-kept-folder": group.folder }, link, " · ", group.content_version, " · ", size(group.bytes), " ", remove));
      });
      kept.replaceChildren(list);
    }
    if (snapshots.names.length) kept.append(snapshotLine());
    if (!groups) return;
    shell.textContent = t("offline.page.shell", { size: size(groups.shell.bytes), runtime: size(groups.runtime.bytes) });
    rows.replaceChildren();
    var all = 0;
    groups.guidelines.forEach(function (group) {
      var isKept = keptFolders.indexOf(group.folder) !== -1;
      if (!isKept) all += group.bytes;
      var box = /** @type {HTMLInputElement} */ (el("input", { type: "checkbox", name: "folder", value: group.folder, id: "gc-keep-" + group.folder.replace(/\W/g, "-") }));
      box.checked = isKept;
      box.disabled = isKept;
      box.setAttribute("data-bytes", String(group.bytes));
      box.addEventListener("change", updateButtons);
      var label = el("label", { for: box.id }, group.title);
      rows.append(
        el("tr", { "data-offline-group": group.folder },
          el("td", {}, box, " ", label),
          el("td", {}, group.content_version),
          el("td", {}, size(group.bytes)),
          el("td", {}, t(isKept ? "offline.page.state_kept" : "offline.page.state_not_kept"))),
      );
    });
    saveAll.textContent = all ? t("offline.page.save_all", { size: size(all) }) : t("offline.page.all_kept");
    saveAll.disabled = all === 0;
    saveChosen.disabled = false;
    updateButtons();
  }

  /** @returns {HTMLInputElement[]} */
  function chosen() {
    return Array.prototype.slice.call(form.querySelectorAll("input[name=folder]:checked:not(:disabled)"));
  }

  function updateButtons() {
    var boxes = chosen();
    var bytes = boxes.reduce(function (sum, box) {
      return sum + Number(box.getAttribute("data-bytes"));
    }, 0);
    saveChosen.textContent = boxes.length
      ? t("offline.page.save_chosen", { size: size(bytes) })
      : t("offline.page.save_chosen_none");
  }

  /**
   * @param {Promise<{saved?: Group[]}>} request
   * @param {string} done what to say once it succeeded
   * @param {boolean | null} [granted] whether the browser agreed to keep what is saved
   */
  function run(request, done, granted) {
    saveChosen.disabled = saveAll.disabled = true;
    return request.then(
      function (status) {
        saved = status.saved || [];
        offline.refresh(status, granted);
        progress.textContent = done;
        saveChosen.disabled = false;
        render();
      },
      function (/** @type {Error} */ error) {
        progress.textContent = t("offline.page.failed", { error: error.message });
        saveChosen.disabled = false;
        render();
      },
    );
  }

  /** @param {string[]} folders @param {number} bytes */
  function save(folders, bytes) {
    if (!folders.length) {
      progress.textContent = t("offline.page.nothing_chosen");
      return;
    }
    progress.textContent = t("offline.page.saving", { count: folders.length, size: size(bytes) });
    offline.persist().then(function (/** @type {boolean | null} */ granted) {
      run(offline.ask(offline.messages.save, { folders: folders }), t("offline.page.saved", { count: folders.length }), granted);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var boxes = chosen();
    save(
      boxes.map(function (box) {
        return box.value;
      }),
      boxes.reduce(function (sum, box) {
        return sum + Number(box.getAttribute("data-bytes"));
      }, 0),
    );
  });
  saveAll.addEventListener("click", function () {
    if (!groups) return;
    var keptFolders = saved.map(function (group) {
      return group.folder;
    });
    var missingGroups = groups.guidelines.filter(function (group) {
      return keptFolders.indexOf(group.folder) === -1;
    });
    save(
      missingGroups.map(function (group) {
        return group.folder;
      }),
      missingGroups.reduce(function (sum, group) {
        return sum + group.bytes;
      }, 0),
    );
  });

  kept.replaceChildren(el("p", {}, t("offline.page.loading")));
  var snapshotsRead = readSnapshots();
  offline
    .ask(offline.messages.status)
    .then(function (/** @type {{saved?: Group[]}} */ status) {
      return snapshotsRead.then(function () {
        return status;
      });
    })
    .then(function (/** @type {{saved?: Group[]}} */ status) {
      saved = status.saved || [];
      render();
    })
    .catch(function (/** @type {Error} */ error) {
      kept.replaceChildren(el("p", {}, t("offline.page.failed", { error: error.message })));
    });
  fetch(groupsUrl, { cache: "no-cache" })
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(
      function (/** @type {Groups} */ listing) {
        groups = listing;
        render();
      },
      function () {
        form.hidden = true; // its rows, from the build, cannot be sized or saved now
        shell.textContent = t("offline.page.choose_offline");
      },
    );
})();
