"""Firefox ESR, driven by ``firefox_drive.mjs`` (puppeteer-core over WebDriver BiDi) in a node
process: one JSON line per command, one JSON reply per line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from engines import HERE, READY_STATE

FIREFOX = Path("/usr/bin/firefox-esr")
PREFS = {
    # Let the page read back what "Copy to note" wrote (Firefox allows it only just after a click).
    "dom.events.testing.asyncClipboard": True,
    # The browser's own traffic (updates, telemetry, remote settings) is not the site's: keep it off.
    "app.update.enabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    # A page's script may open a window (window.open) without a click: the test of another
    # origin's opener (Cross-Origin-Opener-Policy) needs one.
    "dom.disable_open_during_load": False,
}


class DriverError(RuntimeError):
    pass


class FirefoxDriver:
    """The node process; ``driver("goto", url=...)`` sends a command and returns its reply."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["node", str(HERE / "firefox_drive.mjs")],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def __call__(self, op: str, **args: Any) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise DriverError(f"firefox_drive.mjs exited ({self.process.wait()})")
        reply: dict[str, Any] = json.loads(line)
        if not reply.pop("ok"):
            raise DriverError(reply["error"])
        return reply

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()  # the driver closes the browser and exits
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class FirefoxEngine:
    name = "firefox"

    def __init__(self, driver: FirefoxDriver) -> None:
        self.driver = driver
        self.errors: list[str] = []
        self.requested: list[str] = []

    def launch(self, profile: Path | None = None) -> None:
        self.driver("close")
        self.driver("launch", prefs=PREFS, **({"profile": str(profile)} if profile else {}))

    def open(self, url: str) -> None:
        self.driver("goto", url="about:blank")  # a fragment-only change would be a same-document navigation
        self.driver("goto", url=url, timeout=120_000)

    def reload(self) -> None:
        self.driver("reload", timeout=120_000)

    def ready(self, timeout: float = 120) -> str:
        return str(self.driver("waitReady", timeout=int(timeout * 1000))["state"])

    def answer(self, steps: list[dict[str, Any]]) -> None:
        self.driver("answer", steps=steps, timeout=20_000)

    def click_button(self, text: str) -> None:
        self.driver("click", button=text)

    def js(self, expression: str) -> Any:
        return self.driver("eval", js=expression)["value"]

    def wait_js(self, expression: str, timeout: float = 30) -> Any:
        return self.driver("waitFor", js=expression, timeout=int(timeout * 1000))["value"]

    def run_async(self, function: str, argument: Any, timeout: float = 300) -> Any:
        return self.driver("eval", js=function, arg=argument)["value"]

    def clipboard(self) -> str:
        return str(self.driver("eval", js="navigator.clipboard.readText()")["value"])

    def into_frame(self, selector: str) -> None:
        self.driver("frame", selector=selector)

    def main_frame(self) -> None:
        self.driver("frame")

    def _drain(self) -> None:
        """Take what the page and its frames and workers emitted since last time."""
        drained = self.driver("drain")
        self.errors += drained["errors"]
        self.errors += [f"console {m['type']}: {m['text']}" for m in drained["console"] if m["type"] == "error"]
        self.requested += [request["url"] for request in drained["requests"]]

    def page_errors(self) -> list[str]:
        self._drain()
        errors, self.errors = self.errors, []
        return errors

    def requests(self) -> list[str]:
        """Every URL the page, its frames and its workers requested since last time."""
        self._drain()
        requested, self.requested = self.requested, []
        return requested

    def state(self) -> str:
        return str(self.js(READY_STATE))
