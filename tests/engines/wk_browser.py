#!/usr/bin/python3
"""A minimal WebKitGTK automation browser with a persistent data directory, for WebKitWebDriver:
the tests' WebKit when a browser must be restarted on the same profile (offline after a restart).

MiniBrowser --automation always uses an ephemeral data manager (Tools/MiniBrowser/gtk/main.c:
``if (privateMode || automationMode) manager = webkit_website_data_manager_new_ephemeral();``),
so service workers and caches cannot survive a browser restart there. This does what MiniBrowser
does for automation, with ``--data-dir=DIR`` kept on disk (service worker registrations, Cache
Storage, HTTP cache), ``--console-to-stdout`` (which MiniBrowser ignores in automation mode) and
``--log-requests`` (a line per resource load of the view; not the workers' or service worker's).
Needs Debian's python3-gi and gir1.2-webkit2-4.1 (same WebKitGTK 2.50.6).

    options.binary_location = ".../wk_browser.py"
    options.add_argument("--data-dir=/tmp/wk-profile")
"""

import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402

data_dir = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--data-dir=")), None)
if not data_dir:
    sys.exit("usage: wk_persistent_browser.py --data-dir=DIR [--automation] [--console-to-stdout] [--log-requests]")
# --console-to-stdout: every console message (the page's and the engine's own, such as CSP
# "Refused to ..." lines) is written to stdout, which WebKitWebDriver passes to its log file.
settings = WebKit2.Settings(enable_write_console_messages_to_stdout="--console-to-stdout" in sys.argv)

manager = WebKit2.WebsiteDataManager(base_data_directory=f"{data_dir}/data", base_cache_directory=f"{data_dir}/cache")
context = WebKit2.WebContext.new_with_website_data_manager(manager)
context.set_automation_allowed(True)  # with WEBKIT_INSPECTOR_SERVER set by WebKitWebDriver: remote automation
windows = []


def create_web_view(session, *args):
    view = WebKit2.WebView(web_context=context, settings=settings, is_controlled_by_automation=True)
    if "--log-requests" in sys.argv:  # one "REQUEST <uri>" line on stdout per resource the view loads
        view.connect(
            "resource-load-started", lambda _view, _resource, request: print("REQUEST", request.get_uri(), flush=True)
        )
    window = Gtk.Window(default_width=1280, default_height=900)
    window.add(view)
    window.show_all()
    windows.append(window)
    return view


def automation_started(ctx, session):
    info = WebKit2.ApplicationInfo.new()
    info.set_name("wk_browser")
    info.set_version(WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version())
    session.set_application_info(info)
    session.connect("create-web-view", create_web_view)


context.connect("automation-started", automation_started)
Gtk.main()
