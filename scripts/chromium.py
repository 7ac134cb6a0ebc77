"""How the tests and ``make bench`` start Debian's Chromium (never a downloaded browser).

Headless flags that work as root in a sandboxed machine; the background-networking ones stop
Chromium's own calls to update and account servers, which a closed network refuses.
"""

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

TABLET = {"width": 820, "height": 1180}
"""A clinic tablet, portrait: the calculator's first question is in view without scrolling."""


def launch_profile(
    browser_type: Any, profile: Path, *, service_workers: str = "allow", viewport: dict[str, int] | None = None
) -> Any:
    """Debian's Chromium on the persistent profile ``profile`` (a folder; new or kept from an
    earlier launch): a device whose HTTP cache, Cache Storage and service worker outlive the
    browser. ``browser_type`` is Playwright's ``chromium``; returns its ``BrowserContext``.
    ``service_workers="block"`` leaves every page on the HTTP cache; ``viewport`` None keeps
    Playwright's default."""
    options: dict[str, Any] = {"service_workers": service_workers}
    if viewport is not None:
        options["viewport"] = viewport
    return browser_type.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, **options
    )
