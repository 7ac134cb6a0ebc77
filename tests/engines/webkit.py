"""WebKitGTK (the engine of Safari and every iPad browser), driven with Selenium through
``WebKitWebDriver`` on a private X display (Xvfb).

The browser is MiniBrowser (``--automation``; an ephemeral profile), or ``wk_browser.py`` where
a test restarts the browser on the same profile. All its traffic goes through nginx as an HTTP
proxy (``--proxy``), so nginx's access log shows every request, to any origin, with its URL.

A crash of the browser (not of a test's assertion) is retried once: it shows as
``session deleted because of page crash or hang``, as an empty ``WebDriverException`` while the
browser process is gone, or, when the display was not there, as ``cannot open display``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from engines import HERE, READY_STATE

MINIBROWSER = Path("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
WEBKITWEBDRIVER = Path("/usr/bin/WebKitWebDriver")
PERSISTENT_BROWSER = HERE / "wk_browser.py"
START_TIMEOUT_S = 30
CRASH_MARKERS = ("session deleted because of page crash or hang", "cannot open display")

T = TypeVar("T")


class BrowserStartError(RuntimeError):
    pass


class Xvfb:
    """A private X display; ``-noreset`` so it never resets between browsers (a browser started
    during a reset fails with "cannot open display", and WebKitWebDriver then waits forever)."""

    def __enter__(self) -> str:
        command = ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self.process.stdout
        self.display = ":" + self.process.stdout.readline().decode().strip()
        return self.display

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def browser_env(display: str) -> dict[str, str]:
    """The browser's environment: the private display, and no accelerated compositing.

    This machine has no GPU. Composited, WebKitGTK draws the page's layers through Mesa's
    software OpenGL (llvmpipe): measured from /proc during one visit, 1.7 s of CPU in llvmpipe's
    threads for the calculator page and none for a one-line page, taken from the two cores the
    Python worker runs on; the crashes seen here (about one run in 12) were in that software GL.
    Without compositing WebKit paints on the CPU, as Chromium does here with --disable-gpu. An
    iPad composites on its GPU.
    """
    return {**os.environ, "DISPLAY": display, "WEBKIT_DISABLE_COMPOSITING_MODE": "1"}


@contextlib.contextmanager
def webkit_session(
    display: str, *, proxy_port: int | None = None, profile: Path | None = None, arguments: tuple[str, ...] = ()
) -> Iterator[webdriver.WebKitGTK]:
    """A WebDriver session on a new browser (a persistent one with ``profile``).

    The session starts in a thread: a browser that dies while starting leaves WebKitWebDriver
    waiting forever, so after ``START_TIMEOUT_S`` the driver is killed and the log reported."""
    log_path = tempfile.mktemp(prefix="webkitwebdriver-", suffix=".log")
    options = webdriver.WebKitGTKOptions()
    if profile is None:
        options.binary_location = str(MINIBROWSER)
        options.add_argument("--automation")
    else:
        options.binary_location = str(PERSISTENT_BROWSER)
        options.set_capability("browserName", "wk_browser")  # its WebKitApplicationInfo name
        options.add_argument(f"--data-dir={profile}")
    if proxy_port is not None and profile is None:
        options.add_argument(f"--proxy=http://127.0.0.1:{proxy_port}")
    for argument in arguments:  # MiniBrowser's settings, e.g. --javascript-can-open-windows-automatically=true
        options.add_argument(argument)
    service = webdriver.WebKitGTKService(
        executable_path=str(WEBKITWEBDRIVER), env=browser_env(display), log_output=log_path
    )
    started: dict[str, Any] = {}

    def start() -> None:
        try:
            started["driver"] = webdriver.WebKitGTK(options=options, service=service)
        except Exception as error:  # re-raised below, with the log
            started["error"] = error

    thread = threading.Thread(target=start, daemon=True)
    thread.start()
    thread.join(START_TIMEOUT_S)
    if "driver" not in started:
        if service.process and service.process.poll() is None:
            service.process.kill()
        thread.join(10)
        log = Path(log_path).read_text(errors="replace")[-2000:] if Path(log_path).exists() else ""
        raise BrowserStartError(f"no WebDriver session in {START_TIMEOUT_S} s: {started.get('error')!r}\n{log}")
    driver: webdriver.WebKitGTK = started["driver"]
    driver.set_script_timeout(300)
    try:
        yield driver
    finally:
        with contextlib.suppress(WebDriverException):
            driver.quit()


def _browser_alive(driver: webdriver.WebKitGTK) -> bool:
    process = getattr(driver.service, "process", None)
    if process is None:
        return False
    frontier = [process.pid]
    while frontier:
        children = subprocess.run(["pgrep", "-P", str(frontier.pop())], capture_output=True, text=True).stdout.split()
        for child in children:
            with contextlib.suppress(OSError):
                if Path(f"/proc/{child}/comm").read_text().strip().startswith(("MiniBrowser", "wk_browser")):
                    return True
            frontier.append(int(child))
    return False


def is_browser_crash(error: BaseException, driver: webdriver.WebKitGTK | None) -> bool:
    """Only a crashed or unstartable browser: never an assertion, never a slow page."""
    if isinstance(error, BrowserStartError) or any(marker in str(error) for marker in CRASH_MARKERS):
        return True
    return isinstance(error, WebDriverException) and driver is not None and not _browser_alive(driver)


def in_webkit(
    display: str,
    body: Callable[[WebKitEngine], T],
    *,
    proxy_port: int | None = None,
    profile: Path | None = None,
    attempts: int = 2,
    arguments: tuple[str, ...] = (),
) -> T:
    """Run ``body`` in a new browser session; once more if, and only if, the browser crashed."""
    for attempt in range(attempts):
        driver: webdriver.WebKitGTK | None = None
        try:
            with webkit_session(display, proxy_port=proxy_port, profile=profile, arguments=arguments) as driver:
                return body(WebKitEngine(driver))
        except Exception as error:
            if attempt + 1 == attempts or not is_browser_crash(error, driver):
                raise
    raise AssertionError("unreachable")


class WebKitEngine:
    name = "webkit"

    def __init__(self, driver: webdriver.WebKitGTK) -> None:
        self.driver = driver
        self.host_frame: WebElement | None = None

    def open(self, url: str) -> None:
        self.driver.get("about:blank")
        self.driver.get(url)

    def reload(self) -> None:
        self.driver.refresh()

    def ready(self, timeout: float = 120) -> str:
        state = WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(
            lambda d: d.execute_script(f"return {READY_STATE}") in ("ready", "error")
        )
        assert state
        return str(self.js(READY_STATE))

    def _visible(self, xpath: str, scope: str = "", timeout: float = 20) -> WebElement:
        def find(driver: webdriver.WebKitGTK) -> WebElement | bool:
            root = driver.find_element(By.CSS_SELECTOR, scope) if scope else driver
            return next((e for e in root.find_elements(By.XPATH, xpath) if e.is_displayed()), False)

        found = WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(find)
        assert isinstance(found, WebElement)
        return found

    def _tap(self, element: WebElement) -> None:
        """Bring the element into view and click it. Inside a frame that embed.js sizes to its
        content there is nothing to scroll, and neither WebKitWebDriver nor a cross-origin
        scrollIntoView scrolls the host page: scroll the host from outside, as a finger would."""
        if self.host_frame is None:
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        else:
            middle = element.rect["y"] + element.rect["height"] / 2
            self.driver.switch_to.default_content()
            self.driver.execute_script(
                "scrollTo(0, arguments[0].getBoundingClientRect().top + scrollY + arguments[1] - innerHeight / 2)",
                self.host_frame,
                middle,
            )
            self.driver.switch_to.frame(self.host_frame)
        element.click()

    def answer(self, steps: list[dict[str, Any]]) -> None:
        for step in steps:
            scope = f'[data-question="{step["question"]}"]'
            if "text" in step:
                field = self._visible(".//input", scope)
                self._tap(field)
                field.clear()
                field.send_keys(step["text"])
                continue
            for label in step["labels"]:
                self._tap(self._visible(f".//label[normalize-space()={_xpath_literal(label)}]", scope))

    def click_button(self, text: str) -> None:
        self._tap(self._visible(f"//button[normalize-space()={_xpath_literal(text)}]"))

    def js(self, expression: str) -> Any:
        return self.driver.execute_script(f"return {expression}")

    def wait_js(self, expression: str, timeout: float = 30) -> Any:
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(
            lambda d: d.execute_script(f"return {expression}")
        )

    def run_async(self, function: str, argument: Any, timeout: float = 300) -> Any:
        self.driver.set_script_timeout(timeout)
        return self.driver.execute_async_script(
            f"const done = arguments[arguments.length - 1]; ({function})(arguments[0])"
            ".then(done, (error) => done({scriptError: String(error)}));",
            argument,
        )

    def clipboard(self) -> str:
        """Paste (a real Ctrl+V) into a scratch field: WebKit refuses clipboard reads to scripts."""
        self.driver.execute_script(
            "const field = document.createElement('textarea'); field.id = '__paste'; document.body.append(field);"
        )
        field = self.driver.find_element(By.ID, "__paste")
        field.click()
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys("v").key_up(Keys.CONTROL).perform()
        text = str(
            self.driver.execute_script("const f = document.getElementById('__paste'); f.remove(); return f.value")
        )
        return text

    def into_frame(self, selector: str) -> None:
        self.host_frame = self.driver.find_element(By.CSS_SELECTOR, selector)
        self.driver.switch_to.frame(self.host_frame)

    def main_frame(self) -> None:
        self.host_frame = None
        self.driver.switch_to.default_content()

    def page_errors(self) -> list[str]:
        return []  # WebKitWebDriver reports no console: CSP violations arrive at the server (report-uri)


def _xpath_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in text.split("'")) + ")"
