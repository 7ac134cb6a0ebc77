"""How the tests and ``make bench`` start Debian's Chromium (never a downloaded browser).

Headless flags that work as root in a sandboxed machine; the background-networking ones stop
Chromium's own calls to update and account servers, which a closed network refuses.
"""

from pathlib import Path

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
