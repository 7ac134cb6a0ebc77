"""The snapshot start (README, "Snapshot start"): a device's first start keeps a memory snapshot
of the interpreter with the guideline loaded, made before anything is evaluated; later starts
restore it; anything wrong with it falls back to the normal start, silently.

Chromium here; Firefox ESR and WebKitGTK restore it in tests/test_engines.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aimss_cases import DIFFUSE_MODERATE_WITH_DEPRESSION, FOCAL_CARPAL_TUNNEL
from conftest import Launch, rebuilt_site
from guideline_site import assets
from guideline_site.server import SiteServer
from nginx_server import free_port
from playwright.sync_api import Page, Route, Worker, expect
from test_offline import calculator_ready, kept_offline
from test_parity import RUN_IN_WORKER, answer_sets
from ui import CALCULATOR, answer, expected_display, is_calculator_worker, shown_result

from calculator.browser import Session
from calculator.engine import assess
from calculator.model import Guideline

pytestmark = pytest.mark.browser

PREFIX = "/intranet/guidelines/"
PYODIDE_VERSION = json.loads((Path(__file__).resolve().parent.parent / "package.json").read_text())["dependencies"][
    "pyodide"
]

FOLDER = f"""
  // The folder of the origin private file system where the worker keeps snapshot files.
  const snapshotFolder = async () => (await navigator.storage.getDirectory())
    .getDirectoryHandle({json.dumps(assets.SNAPSHOT_FOLDER)});
"""

STORED_FORM = (
    FOLDER
    + """
  // Where the worker keeps a snapshot's stored form: in a file named after its cache when the
  // cache entry says so, else in the cache entry itself.
  const inFile = (found) => found.headers.get("x-snapshot-file") === "opfs";
  const snapshotFile = async (name) => (await snapshotFolder()).getFileHandle(encodeURIComponent(name));
  const readStored = async (name, found) =>
    inFile(found) ? (await (await snapshotFile(name)).getFile()).arrayBuffer() : found.arrayBuffer();
"""
)

SNAPSHOT_FILES = (
    """async () => {"""
    + FOLDER
    + """
  // The snapshot files kept in the origin private file system, by their caches' names.
  try {
    const folder = await snapshotFolder();
    const names = [];
    for await (const name of folder.keys()) names.push(decodeURIComponent(name));
    return names;
  } catch {
    return [];
  }
}"""
)

KEPT = (
    """async (wait) => {
  // This page's snapshot: its cache's name, sizes and where its bytes are, waiting up to `wait` s.
  const boot = document.querySelector("script[data-calculator-boot]");
  const name = `${new URL(boot.dataset.siteRoot, document.baseURI).pathname}:${boot.dataset.snapshotCache}`;
  const entry = new URL("snapshot/memory", new URL(boot.dataset.workerUrl, document.baseURI)).href;"""
    + STORED_FORM
    + """
  const until = performance.now() + wait * 1000;
  for (;;) {
    const found = (await caches.has(name)) && (await (await caches.open(name)).match(entry));
    const raw = found && Number(found.headers.get("x-snapshot-bytes"));
    if (found) {
      const stored = (await readStored(name, found)).byteLength;
      const shown = Number(found.headers.get("x-snapshot-stored-bytes"));
      return { name, entry, stored, shown, raw, file: inFile(found) };
    }
    if (performance.now() > until) return { name, entry, stored: 0, raw: 0 };
    await new Promise((done) => setTimeout(done, 100));
  }
}"""
)

SNAPSHOT_PAGES = """(() => new URL("snapshot-pages.mjs", new URL(
  document.querySelector("script[data-calculator-boot]").dataset.workerUrl, document.baseURI)).href)()"""

SCAN = (
    """async ({ markers, module }) => {
  // The stored snapshot, unpacked as the worker unpacks it, searched for each marker (as text in
  // the interpreter's heap)."""
    + STORED_FORM
    + """
  const { unpackSnapshot } = await import(module);
  const boot = document.querySelector("script[data-calculator-boot]");
  const name = `${new URL(boot.dataset.siteRoot, document.baseURI).pathname}:${boot.dataset.snapshotCache}`;
  const entry = new URL("snapshot/memory", new URL(boot.dataset.workerUrl, document.baseURI)).href;
  const found = await (await caches.open(name)).match(entry);
  const heap = new Uint8Array(Number(found.headers.get("x-snapshot-bytes")));
  await unpackSnapshot(await readStored(name, found), heap);
  const text = new TextDecoder("latin1").decode(heap);
  return { bytes: heap.byteLength, found: markers.map((marker) => text.includes(marker)) };
}"""
)

REPLACE = (
    """async ({ name, entry, kind, module }) => {
  // Spoil the stored snapshot in one way, keeping its headers (and its place: file or cache)."""
    + STORED_FORM
    + """
  const { packSnapshot, sealSnapshot } = await import(module);
  const cache = await caches.open(name);
  const kept = await cache.match(entry);
  const headers = Object.fromEntries(kept.headers);
  const stored = new Uint8Array(await readStored(name, kept));
  let body;
  if (kind === "flipped-bytes") {
    body = stored.slice();
    for (let at = 1000; at < body.length; at += Math.floor(body.length / 7)) body[at] ^= 0xff;
  } else if (kind === "truncated") {
    body = stored.slice(0, Math.floor(stored.length / 2));
  } else if (kind === "not-a-snapshot") {
    body = new TextEncoder().encode("not a snapshot");
  } else if (kind === "other-interpreter") {
    // A well-formed stored snapshot of the right size (its digest right), whose heap is no
    // Pyodide's.
    body = await sealSnapshot(packSnapshot(new Uint8Array(Number(headers["x-snapshot-bytes"])).fill(7)));
  } else if (kind === "file-missing") {
    if (!inFile(kept)) throw new Error("this snapshot is kept in its cache, not in a file");
    await (await snapshotFolder()).removeEntry(encodeURIComponent(name));
    return;
  } else if (kind === "self-check-differs") {
    const check = new URL("self-check", entry).href;
    const text = await (await cache.match(check)).text();
    await cache.put(check, new Response(text.replace('"missing"', '"absent"')));
    return;
  }
  if (inFile(kept)) {
    const writable = await (await snapshotFile(name)).createWritable();
    await writable.write(body);
    await writable.close();
  } else {
    await cache.put(entry, new Response(body, { headers }));
  }
}"""
)


def calculator_worker(page: Page) -> Worker:
    return next(worker for worker in page.workers if is_calculator_worker(worker.url))


def started(page: Page) -> dict[str, Any]:
    stats: dict[str, Any] = calculator_worker(page).evaluate("self.calculatorStats()")
    return stats


@pytest.fixture
def server(built_site: Path) -> Iterator[SiteServer]:
    with SiteServer(built_site, prefix=PREFIX, port=free_port()) as running:
        yield running


def first_visit(page: Page, server: SiteServer, *, in_file: bool = True) -> dict[str, Any]:
    """Open the calculator on a device with no snapshot; return its snapshot once stored."""
    page.goto(server.url + CALCULATOR)
    calculator_ready(page)
    assert started(page)["start"] == "normal"
    kept: dict[str, Any] = page.evaluate(KEPT, 30)
    assert kept["stored"] > 0, "no snapshot stored"
    # Chromium reads it from a file (the origin private file system), the size shown is its own.
    assert kept["file"] is in_file and kept["shown"] == kept["stored"]
    return kept


def test_the_snapshot_is_made_before_the_first_answer_and_holds_none(
    page: Page, server: SiteServer, aimss: Guideline
) -> None:
    page.goto(server.url + CALCULATOR)
    calculator_ready(page)
    # Answered at once, before the snapshot is stored: a marker number only these answers hold.
    marker = "1039.6173"
    answers = {**FOCAL_CARPAL_TUNNEL, "weeks_since_ai_start": float(marker)}
    answer(page, aimss, answers)
    expect(page.locator('[data-question="weeks_since_ai_start"]')).to_be_visible()
    expect(page.locator("[data-classification]").first).to_be_visible()
    assert page.evaluate(KEPT, 30)["stored"] > 0
    assert started(page)["snapshot"] == "stored"
    label = aimss.questions[0].label
    scanned = page.evaluate(SCAN, {"markers": [marker, label], "module": page.evaluate(SNAPSHOT_PAGES)})
    assert scanned["bytes"] > 10_000_000
    # The guideline is in it (the scan finds what is there); the answers are not.
    assert scanned["found"] == [False, True]


def test_a_repeat_visit_restores_the_snapshot_and_answers_as_before(
    page: Page, server: SiteServer, aimss: Guideline
) -> None:
    first_visit(page, server)
    page.goto("about:blank")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url.rsplit("/", 1)[-1]))
    page.goto(server.url + CALCULATOR)
    calculator_ready(page)
    assert started(page) | {"wasmMemoryBytes": None} == {
        "start": "snapshot",
        "snapshot": "restored",
        "wasm": "page",
        "wasmMemoryBytes": None,
    }
    # The worker's requests are seen (the wheel: the file system is not in the snapshot); the
    # guideline's files are not asked for, the snapshot holds them.
    assert any(name.endswith(".whl") for name in asked), asked
    assert not {"guideline.py", "sentences.json"} & set(asked), asked
    answer(page, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
    expected = expected_display(assess(aimss, DIFFUSE_MODERATE_WITH_DEPRESSION), server.url + "aimss/")
    assert shown_result(page) == expected


def test_without_sync_access_handles_the_cache_keeps_the_bytes_and_no_file_is_made(
    page: Page, server: SiteServer, aimss: Guideline
) -> None:
    """An engine with an origin private file system but no sync access handle for its workers:
    the worker keeps the snapshot's bytes in its cache entry and creates no file, not even an
    empty one (which nothing would read, and nothing delete before the next update)."""

    def without_sync_access_handles(route: Route) -> None:
        response = route.fetch()
        unset = "delete FileSystemFileHandle.prototype.createSyncAccessHandle;\n"
        route.fulfill(response=response, body=unset + response.text())

    page.route("**/worker.mjs", without_sync_access_handles)
    first_visit(page, server, in_file=False)
    assert page.evaluate(SNAPSHOT_FILES) == []
    page.goto("about:blank")
    page.goto(server.url + CALCULATOR)
    calculator_ready(page)
    assert started(page)["start"] == "snapshot"
    answer(page, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
    expected = expected_display(assess(aimss, DIFFUSE_MODERATE_WITH_DEPRESSION), server.url + "aimss/")
    assert shown_result(page) == expected


def test_a_restored_session_draws_new_random_numbers(aimss: Guideline) -> None:
    """``random``'s state is in the snapshot: without reseeding, every restore would draw alike."""
    import random

    from calculator import browser

    browser.keep_for_snapshot(Session(aimss, runtime="test"))
    try:
        frozen = random.getstate()
        browser.resume_from_snapshot()
        first = random.random()
        random.setstate(frozen)  # the same snapshot, restored again
        browser.resume_from_snapshot()
        assert random.random() != first
    finally:
        browser.snapshot_session = None


def test_the_1205_case_parity_set_gives_cpythons_json_text_on_a_restored_worker(
    page: Page, server: SiteServer, aimss: Guideline
) -> None:
    kept = first_visit(page, server)
    texts = [json.dumps(answers) for answers in answer_sets(aimss)]
    ran = page.evaluate(RUN_IN_WORKER, {"texts": texts, "snapshot": kept["name"]})
    assert ran["stats"]["start"] == "snapshot"
    session = Session(aimss, runtime=f"Pyodide {PYODIDE_VERSION}")
    expected = [session.evaluate(text) for text in texts]
    assert len(ran["replies"]) == len(expected) >= 1200
    mismatched = [i for i, (mine, theirs) in enumerate(zip(expected, ran["replies"], strict=True)) if mine != theirs]
    assert mismatched == [], f"first mismatch: {texts[mismatched[0]]}" if mismatched else ""


@pytest.mark.parametrize(
    "kind", ["flipped-bytes", "truncated", "not-a-snapshot", "other-interpreter", "file-missing", "self-check-differs"]
)
def test_a_spoilt_snapshot_falls_back_to_the_normal_start_with_the_correct_result(
    page: Page, server: SiteServer, aimss: Guideline, kind: str
) -> None:
    kept = first_visit(page, server)
    spoil = {"name": kept["name"], "entry": kept["entry"], "kind": kind, "module": page.evaluate(SNAPSHOT_PAGES)}
    page.evaluate(REPLACE, spoil)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.goto("about:blank")
    page.goto(server.url + CALCULATOR)
    calculator_ready(page)
    assert started(page)["start"] == "normal"
    answer(page, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
    expected = expected_display(assess(aimss, DIFFUSE_MODERATE_WITH_DEPRESSION), server.url + "aimss/")
    assert shown_result(page) == expected
    # Nothing alarming: at most a debug line; and a good snapshot replaces the spoilt one.
    assert [m for m in messages if m.startswith(("error", "warning"))] == []
    assert page.evaluate(KEPT, 30)["stored"] > 0
    page.goto("about:blank")
    page.goto(server.url + CALCULATOR)
    calculator_ready(page)
    assert started(page)["start"] == "snapshot"


def test_another_builds_snapshot_is_never_restored_and_is_deleted(page: Page, server: SiteServer) -> None:
    kept = first_visit(page, server)
    # The same snapshot under the name of another build's cache (another wheel, guideline or
    # Pyodide name another cache: test_a_snapshots_cache_is_named_by_everything_it_depends_on).
    stale = kept["name"].rsplit(":", 1)[0] + ":" + "0" * 32
    # A file left without its cache (a cache deleted by something that knew nothing of files).
    orphan = kept["name"].rsplit(":", 1)[0] + ":" + "1" * 32
    page.evaluate(
        """async ({ name, entry, stale, orphan }) => {"""
        + FOLDER
        + """
          const kept = await (await caches.open(name)).match(entry);
          await (await caches.open(stale)).put(entry, kept);
          await caches.delete(name);
          const folder = await snapshotFolder();
          const bytes = await (await (await folder.getFileHandle(encodeURIComponent(name))).getFile()).arrayBuffer();
          for (const other of [stale, orphan]) {
            const file = await folder.getFileHandle(encodeURIComponent(other), { create: true });
            const writable = await file.createWritable();
            await writable.write(bytes);
            await writable.close();
          }
          await folder.removeEntry(encodeURIComponent(name));
        }""",
        {"name": kept["name"], "entry": kept["entry"], "stale": stale, "orphan": orphan},
    )
    assert sorted(page.evaluate(SNAPSHOT_FILES)) == sorted([stale, orphan])
    page.goto("about:blank")
    page.goto(server.url + CALCULATOR)
    calculator_ready(page)
    assert started(page)["start"] == "normal"
    assert page.evaluate(KEPT, 30)["stored"] > 0
    names = page.evaluate("caches.keys()")
    assert kept["name"] in names and stale not in names
    assert page.evaluate(SNAPSHOT_FILES) == [kept["name"]]


def test_a_snapshots_cache_is_named_by_everything_it_depends_on() -> None:
    inputs = {
        "pyodide/pyodide.asm.wasm": "a" * 64,
        "wheel": "b" * 64,
        "worker": "c" * 64,
        "catalogue": "d" * 64,
        "module": "e" * 64,
        "sentences": "f" * 64,
    }
    name = assets.snapshot_cache(inputs)
    assert name.startswith(assets.SNAPSHOT_CACHE_PREFIX)
    assert assets.snapshot_cache(dict(reversed(inputs.items()))) == name
    for changed in inputs:
        assert assets.snapshot_cache({**inputs, changed: "0" * 64}) != name, changed


def test_an_update_removes_the_old_snapshot_and_offline_restarts_restore_the_new(
    launch: Launch, built_site: Path, tmp_path: Path
) -> None:
    module_changed = {"content/aimss/guideline.py": lambda text: text + "\n# rebuilt: the module changed\n"}
    site_v2 = rebuilt_site(tmp_path, module_changed)

    port = free_port()
    with SiteServer(built_site, prefix=PREFIX, port=port) as first:
        page = kept_offline(launch, first.url + CALCULATOR)
        old = page.evaluate(KEPT, 30)
        assert old["stored"] > 0
    with SiteServer(site_v2, prefix=PREFIX, port=port) as second:
        page.goto("about:blank")
        page.goto(second.url + CALCULATOR)
        status = page.locator("[data-offline]")
        expect(status).to_have_attribute("data-offline-state", "update", timeout=60_000)
        with page.expect_navigation():
            status.get_by_role("button", name="Reload to update").click()
        calculator_ready(page)
        assert old["name"] not in page.evaluate("caches.keys()")
        assert old["name"] not in page.evaluate(SNAPSHOT_FILES)
        new = page.evaluate(KEPT, 30)
        assert new["stored"] > 0 and new["name"] != old["name"]
        assert page.evaluate(SNAPSHOT_FILES) == [new["name"]]
        page.context.close()
    # Offline (the server is gone), the tablet restarted: the calculator starts from the snapshot.
    context = launch()
    page = context.new_page()
    page.goto(second.url + CALCULATOR)
    calculator_ready(page)
    assert started(page)["start"] == "snapshot"


def test_the_offline_page_shows_the_snapshots_size_and_removes_it(page: Page, server: SiteServer) -> None:
    kept = first_visit(page, server)
    page.goto(server.url + "offline/")
    line = page.locator("[data-offline-snapshots]")
    megabytes = f"{kept['stored'] / 1e6:.1f} MB"
    expect(line).to_contain_text("Quick start of the calculators")
    expect(line).to_contain_text(megabytes)
    line.get_by_role("button", name="Remove the calculators' quick start from this device").click()
    expect(page.locator("[data-offline-progress]")).to_contain_text("Removed the calculators' quick start")
    expect(line).to_have_count(0)
    assert kept["name"] not in page.evaluate("caches.keys()")
    assert page.evaluate(SNAPSHOT_FILES) == []
