"""Chromium and Firefox ESR for timings: driven over a bare protocol connection that watches
nothing, so what is measured is the page and not the driver.

Playwright and puppeteer watch every request of a page (DevTools' ``Network`` domain,
WebDriver BiDi's ``network`` events) and pause each new worker until the driver has set it up
(auto-attach, ``waitForDebuggerOnStart``). On two cores that costs a page in proportion to its
requests and workers: the calculator page (about 40 requests, two workers) was measured ready
120-200 ms later under Playwright than over this connection, the bare Pyodide page (six
requests, one worker) about the same (BENCHMARKS.md, "Snapshot start"). Here the driver only
navigates and evaluates: Chromium's DevTools protocol with no domain enabled, Firefox's
WebDriver BiDi session with no event subscribed.

Both offer what ``bench_snapshot._engine_visit`` uses: ``open``, ``wait_js``, ``js``,
``run_async``; Chromium also ``worker_js`` (read after the measured moment).
"""

from __future__ import annotations

import itertools
import json
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import websocket
from chromium import CHROMIUM, CHROMIUM_ARGS

FIREFOX = Path("/usr/bin/firefox-esr")
FIREFOX_PREFS: dict[str, Any] = {
    # The browser's own traffic and first-run pages, off (as the test suite's Firefox has them).
    "app.update.enabled": False,
    "browser.aboutwelcome.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "extensions.update.enabled": False,
    "network.captive-portal-service.enabled": False,
    "remote.prefs.recommended": True,
    "toolkit.telemetry.enabled": False,
}
POLL_SECONDS = 0.1


class ProtocolError(RuntimeError):
    pass


class _Connection:
    """One websocket, one command at a time; replies matched by id, events kept (none is asked
    for while measuring)."""

    def __init__(self, url: str, timeout: float) -> None:
        # Firefox refuses a connection that names an Origin; Chromium does not need one.
        self.socket = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params, **extra}))
        while True:
            message = json.loads(self.socket.recv())
            if "id" not in message:
                self.events.append(message)
            if message.get("id") != number:
                continue
            if "error" in message:
                raise ProtocolError(f"{method}: {message['error']} {message.get('message', '')}".strip())
            result: dict[str, Any] = message["result"]
            return result

    def close(self) -> None:
        self.socket.close()


def _wait_for(check: Any, seconds: float, what: str) -> Any:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(f"{what} after {seconds:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class _Polling:
    """``wait_js`` for a driver that has ``js``: polled, as the page would not tell."""

    def js(self, expression: str) -> Any:
        raise NotImplementedError

    def wait_js(self, expression: str, timeout: float = 30) -> Any:
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            try:
                if value := self.js(expression):
                    return value
            except ProtocolError:
                pass  # the new document is not there yet
            time.sleep(POLL_SECONDS)
        raise TimeoutError(f"not true after {timeout:.0f} s: {expression[:80]}")


class QuietChromium(_Polling):
    """Debian's Chromium on a new profile folder, over DevTools with no domain enabled."""

    name = "chromium"

    def __init__(self, profile: Path, viewport: dict[str, int]) -> None:
        self.profile = profile
        self.process = subprocess.Popen(
            [
                str(CHROMIUM),
                *CHROMIUM_ARGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                f"--window-size={viewport['width']},{viewport['height']}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            active = profile / "DevToolsActivePort"
            # Its first line is the port, its second the browser's path.
            port, path = _wait_for(lambda: active.exists() and active.read_text().split()[:2], 30, "no DevTools port")
            self.connection = _Connection(f"ws://127.0.0.1:{port}{path}", timeout=300)
            page = _wait_for(lambda: self._targets("page"), 30, "no page")[0]
            self.session = self._attach(page)
        except BaseException:
            _stop(self.process)
            raise

    def _attach(self, target: str) -> str:
        reply = self.connection.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        return str(reply["sessionId"])

    def _targets(self, kind: str) -> list[str]:
        infos = self.connection.call("Target.getTargets", {})["targetInfos"]
        return [t["targetId"] for t in infos if t["type"] == kind]

    def _evaluate(self, session: str, expression: str, awaited: bool = False) -> Any:
        params = {"expression": expression, "returnByValue": True, "awaitPromise": awaited}
        reply = self.connection.call("Runtime.evaluate", params, sessionId=session)
        if "exceptionDetails" in reply:
            raise ProtocolError(f"{expression[:60]}…: {reply['exceptionDetails'].get('text')}")
        return reply["result"].get("value")

    def open(self, url: str) -> None:
        # About:blank first: a fragment-only change would be a same-document navigation.
        for target in ("about:blank", url):
            self.connection.call("Page.navigate", {"url": target}, sessionId=self.session)

    def js(self, expression: str) -> Any:
        return self._evaluate(self.session, f"({expression})")

    def run_async(self, function: str, argument: Any, timeout: float = 300) -> Any:
        return self._evaluate(self.session, f"({function})({json.dumps(argument)})", awaited=True)

    def worker_js(self, url_contains: str, expression: str) -> Any:
        """Evaluate in the page's dedicated worker whose URL contains ``url_contains``. Its
        session comes from attaching to the page's workers now: call this after the measured
        moment."""
        params = {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": True}
        self.connection.call("Target.setAutoAttach", params, sessionId=self.session)

        def attached() -> str | None:
            for event in self.connection.events:
                info = event.get("params", {}).get("targetInfo", {})
                worker = info.get("type") == "worker" and url_contains in info.get("url", "")
                if event.get("method") == "Target.attachedToTarget" and worker:
                    return str(event["params"]["sessionId"])
            self.connection.call("Runtime.evaluate", {"expression": "0"}, sessionId=self.session)  # read on
            return None

        return self._evaluate(_wait_for(attached, 10, f"no worker {url_contains}"), f"({expression})")

    def close(self) -> None:
        try:
            self.connection.close()
        finally:
            _stop(self.process)


class QuietFirefox(_Polling):
    """Debian's Firefox ESR on a new profile folder, over WebDriver BiDi with no event subscribed."""

    name = "firefox"

    def __init__(self, profile: Path) -> None:
        profile.mkdir(parents=True, exist_ok=True)
        (profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in FIREFOX_PREFS.items())
        )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [str(FIREFOX), "--headless", "--no-remote", "--profile", str(profile), f"--remote-debugging-port={port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self.connection = _wait_for(lambda: self._connect(port), 60, "no WebDriver BiDi")
            self.connection.call("session.new", {"capabilities": {}})
            self.context = self.connection.call("browsingContext.getTree", {})["contexts"][0]["context"]
        except BaseException:
            _stop(self.process)
            raise

    @staticmethod
    def _connect(port: int) -> _Connection | None:
        try:
            return _Connection(f"ws://127.0.0.1:{port}/session", timeout=300)
        except (OSError, websocket.WebSocketException):
            return None

    def _evaluate(self, expression: str, awaited: bool = False) -> Any:
        reply = self.connection.call(
            "script.evaluate",
            {
                "expression": expression,
                "target": {"context": self.context},
                "awaitPromise": awaited,
                "resultOwnership": "none",
                "serializationOptions": {"maxObjectDepth": 4},
            },
        )
        if reply.get("type") == "exception":
            raise ProtocolError(f"{expression[:60]}…: {reply['exceptionDetails'].get('text')}")
        return _from_bidi(reply["result"])

    def open(self, url: str) -> None:
        for target, wait in (("about:blank", "complete"), (url, "none")):
            self.connection.call("browsingContext.navigate", {"context": self.context, "url": target, "wait": wait})

    def js(self, expression: str) -> Any:
        return self._evaluate(f"({expression})")

    def run_async(self, function: str, argument: Any, timeout: float = 300) -> Any:
        return self._evaluate(f"({function})({json.dumps(argument)})", awaited=True)

    def close(self) -> None:
        try:
            self.connection.call("session.end", {})
        except (ProtocolError, OSError, websocket.WebSocketException):
            pass  # the browser is stopped below either way
        finally:
            self.connection.close()
            _stop(self.process)


def _from_bidi(value: dict[str, Any]) -> Any:
    """A BiDi remote value (serialized by value) as plain Python."""
    kind = value.get("type")
    if kind in ("undefined", "null"):
        return None
    if kind == "object":
        return {key: _from_bidi(item) for key, item in value.get("value", [])}
    if kind == "array":
        return [_from_bidi(item) for item in value.get("value", [])]
    if kind == "number" and isinstance(value.get("value"), str):
        return float(value["value"])  # NaN, Infinity, -0
    return value.get("value")
