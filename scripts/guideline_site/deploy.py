"""How the site must be served, in one place: security headers, cache policy, server snippets.

The Content-Security-Policy, the other security headers and the cache rules are defined
here once and rendered into the nginx snippets (tested against Debian's nginx), the
Apache and IIS examples (documented), and the headers of ``guideline_site.server`` (used by
the preview and the browser tests), so every server the site meets sends the same.

    guideline-site deploy [--out deploy] [--sub-path /intranet/guidelines/] \
        [--root /srv/guidelines/site/] [--frame-ancestors "'self' https://intranet.example"]

writes ``nginx/guidelines-http.conf``, ``nginx/guidelines-location.conf``,
``apache/guidelines.conf`` and ``iis/web.config`` into the site's folder. ``frame-ancestors``
defaults to the plugin's ``frame_ancestors`` option in ``mkdocs.yml`` (see README, "Deployment").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FRAME_ANCESTORS = "'self'"

CSP_DIRECTIVES = (
    ("default-src", "'self'"),
    # 'wasm-unsafe-eval' lets Pyodide compile WebAssembly; no 'unsafe-eval', no 'unsafe-inline'.
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("worker-src", "'self'"),
    ("connect-src", "'self'"),
    ("img-src", "'self' data:"),
    ("style-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    # Trusted Types: a script URL (a worker, the service worker, importScripts) or HTML only through
    # one of these policies, all created by assets/site/trusted-types.js: script URLs of this site's
    # .js/.mjs files only; HTML (Material's innerHTML) only as the allowlist sanitizer cleans it
    # (assets/site/html-sanitizer.js); no policy makes script from a string.
    ("require-trusted-types-for", "'script'"),
    ("trusted-types", "guideline-site guideline-site-parse default"),
)


def content_security_policy(frame_ancestors: str = DEFAULT_FRAME_ANCESTORS, report_uri: str | None = None) -> str:
    """The site's CSP. ``frame-ancestors`` works only as an HTTP header, never in <meta>.

    ``report_uri`` (tests only): where browsers POST each violation, so engines whose driver
    cannot see them still report them."""
    directives = [*CSP_DIRECTIVES, ("frame-ancestors", frame_ancestors)]
    if report_uri:
        directives.append(("report-uri", report_uri))
    return "; ".join(f"{name} {value}" for name, value in directives)


def security_headers(frame_ancestors: str = DEFAULT_FRAME_ANCESTORS, report_uri: str | None = None) -> dict[str, str]:
    """The headers every response carries.

    ``Cross-Origin-Opener-Policy: same-origin``: a page of another origin that opened one of
    ours (``window.open``) keeps no handle on it, so it cannot rewrite a calculator's fragment,
    its answers, mid-assessment. It binds top-level pages only: the embed page in a host's
    ``<iframe>`` is unaffected and needs nothing else (it talks to its parent, never to an opener).
    """
    return {
        "Content-Security-Policy": content_security_policy(frame_ancestors, report_uri),
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    }


IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@dataclass(frozen=True, kw_only=True, slots=True)
class CacheRule:
    pattern: str
    """A regular expression on the URL path (nginx ``map``, Apache ``LocationMatch`` syntax)."""
    cache_control: str
    why: str


CACHE_RULES = (
    CacheRule(
        pattern=r"/assets/pyodide/[0-9][^/]*/",
        cache_control=IMMUTABLE,
        why="the Python runtime: its version is in the path",
    ),
    CacheRule(
        pattern=r"/assets/(javascripts|stylesheets)/.+\.[0-9a-f]{8}\.min\.(js|css)$",
        cache_control=IMMUTABLE,
        why="Material's bundles: their content hash is in the name",
    ),
)
"""Everything else (pages, sw.js, the manifest, the wheel, guideline files) is revalidated."""


def cache_control(path: str) -> str:
    """The Cache-Control a server should send for a URL path."""
    return next((rule.cache_control for rule in CACHE_RULES if re.search(rule.pattern, path)), REVALIDATE)


CONTENT_TYPES = {
    "html": "text/html",
    "css": "text/css",
    "js": "text/javascript",
    "mjs": "text/javascript",
    "json": "application/json",
    "webmanifest": "application/manifest+json",
    "wasm": "application/wasm",
    "zip": "application/zip",
    "whl": "application/zip",
    "py": "text/plain",
    "txt": "text/plain",
    "csv": "text/csv",
    "xml": "application/xml",
    "png": "image/png",
    "svg": "image/svg+xml",
    "ico": "image/x-icon",
    "woff2": "font/woff2",
}
"""By suffix. ``.mjs`` must be JavaScript (module workers refuse anything else) and
``.wasm`` must be ``application/wasm`` (streaming compilation)."""

NOT_FOUND_PAGE = "404.html"
"""The site's page for a missing address. Servers serve it at the missing page's URL, at any
depth, and rewrite its ``<base>`` (``BASE_TAG``) to the site's sub-path: so it is the one page
that is neither precompressed nor precached with a fixed hash, and the dev server rewrites it too."""

BASE_TAG = '<base href="/">'
"""404.html is served at any depth: the build gives it this base, which the server rewrites
to the site's sub-path (nginx: sub_filter), so its links and styles resolve."""


def base_rewrites(sub_path: str) -> tuple[tuple[str, str], ...]:
    """What a server replaces in 404.html so that it works at ``sub_path`` (nginx: sub_filter)."""
    return (
        (BASE_TAG, BASE_TAG.replace('"/"', f'"{sub_path}"')),
        ('"base": "/"', f'"base": "{sub_path}"'),  # Material's configuration for its scripts
    )


DO_NOT_EDIT = "DO NOT EDIT — generated by guideline-site deploy (guideline_site/deploy.py)."


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_http(frame_ancestors: str = DEFAULT_FRAME_ANCESTORS) -> str:
    lines = [
        f"# {DO_NOT_EDIT}",
        "# Interactive clinical guidelines: include inside http { }.",
        "# Cache-Control by URL path: long-lived and immutable where the name or path carries a",
        "# version or hash; everything else (pages, sw.js, manifest) is revalidated each time.",
        "map $uri $guidelines_cache_control {",
        f"    default {_quoted(REVALIDATE)};",
    ]
    for rule in CACHE_RULES:
        lines.append(f"    {_quoted('~' + rule.pattern)} {_quoted(rule.cache_control)};  # {rule.why}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def nginx_location(
    sub_path: str = "/intranet/guidelines/",
    root: str = "/srv/guidelines/site/",
    frame_ancestors: str = DEFAULT_FRAME_ANCESTORS,
    *,
    brotli: bool = True,
    report_uri: str | None = None,
) -> str:
    """The location block that serves the site under ``sub_path`` from folder ``root``."""
    types = "\n".join(f"        {kind} {suffix};" for suffix, kind in CONTENT_TYPES.items())
    headers = "\n".join(
        f"    add_header {name} {_quoted(value)} always;"
        for name, value in security_headers(frame_ancestors, report_uri).items()
    )
    sub_filters = "\n".join(f"    sub_filter {_quoted(old)} {_quoted(new)};" for old, new in base_rewrites(sub_path))
    brotli_line = (
        "    brotli_static on;  # ngx_http_brotli_static_module (Debian: libnginx-mod-http-brotli-static); "
        "delete this line if your nginx lacks it"
        if brotli
        else "    # brotli_static on;  # needs ngx_http_brotli_static_module"
    )
    return f"""# {DO_NOT_EDIT}
# Interactive clinical guidelines: include inside server {{ }} (with guidelines-http.conf in http {{ }}).
# Change the location and alias to your sub-path and the folder holding the site; keep the
# trailing slashes. HTTPS is needed for offline use (service workers) unless on localhost.
location {sub_path} {{
    alias {root};
    index index.html;
    # The whole type map for these files (a types block replaces the inherited one).
    types {{
{types}
    }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/html text/css text/javascript application/json application/manifest+json text/plain;

    # Precompressed copies written by the build (file.br, file.gz), sent to clients that ask.
    gzip_static on;
{brotli_line}
    gzip_vary on;

    add_header Cache-Control $guidelines_cache_control always;
{headers}

    # 404.html is served at any depth; its <base> is rewritten to this sub-path.
    error_page 404 {sub_path}{NOT_FOUND_PAGE};
    sub_filter_types text/html;
{sub_filters}
    sub_filter_once off;
}}
"""


def apache(
    sub_path: str = "/intranet/guidelines/",
    root: str = "/srv/guidelines/site/",
    frame_ancestors: str = DEFAULT_FRAME_ANCESTORS,
) -> str:
    types = "\n".join(f"    AddType {kind} .{suffix}" for suffix, kind in CONTENT_TYPES.items() if suffix != "html")
    headers = "\n".join(
        f"    Header always set {name} {_quoted(value)}" for name, value in security_headers(frame_ancestors).items()
    )
    immutable = "\n".join(
        f'<LocationMatch "^{sub_path.rstrip("/")}{rule.pattern}">\n'
        f'    Header always set Cache-Control "{rule.cache_control}"\n</LocationMatch>'
        for rule in CACHE_RULES
    )
    substitutes = "\n".join(f"        Substitute 's|{old}|{new}|n'" for old, new in base_rewrites(sub_path))
    return f"""# {DO_NOT_EDIT}
# Interactive clinical guidelines on Apache httpd 2.4 (tested with Debian's apache2).
# Needs mod_alias, mod_env, mod_headers, mod_mime, mod_rewrite, mod_substitute.
Alias {sub_path} {root}
<Directory {root}>
    Require all granted
    DirectoryIndex index.html
{types}
    # Precompressed copies: send file.br / file.gz when the client accepts them.
    RewriteEngine On
    RewriteCond %{{HTTP:Accept-Encoding}} br
    RewriteCond %{{REQUEST_FILENAME}}.br -f
    RewriteRule ^(.+)$ $1.br [L]
    RewriteCond %{{HTTP:Accept-Encoding}} gzip
    RewriteCond %{{REQUEST_FILENAME}}.gz -f
    RewriteRule ^(.+)$ $1.gz [L]
    # A stock Debian server says .br is Breton (AddLanguage br .br) and .gz a gzip file, and
    # compresses text on the fly (mod_deflate): none of that for these files (mod_env).
    <FilesMatch "\\.br$">
        RemoveLanguage .br
        RemoveType .br
        RemoveEncoding .br
        Header set Content-Encoding br
        Header append Vary Accept-Encoding
        SetEnv no-gzip 1
        SetEnv no-brotli 1
    </FilesMatch>
    <FilesMatch "\\.gz$">
        RemoveType .gz
        RemoveEncoding .gz
        Header set Content-Encoding gzip
        Header append Vary Accept-Encoding
        SetEnv no-gzip 1
        SetEnv no-brotli 1
    </FilesMatch>
    # The type of file.js.br is that of file.js (and so on for every suffix).
    <FilesMatch "\\.(js|mjs)\\.(br|gz)$">
        ForceType text/javascript
    </FilesMatch>
    <FilesMatch "\\.wasm\\.(br|gz)$">
        ForceType application/wasm
    </FilesMatch>
    <FilesMatch "\\.html\\.(br|gz)$">
        ForceType "text/html; charset=utf-8"
    </FilesMatch>
    <FilesMatch "\\.css\\.(br|gz)$">
        ForceType text/css
    </FilesMatch>
    <FilesMatch "\\.json\\.(br|gz)$">
        ForceType application/json
    </FilesMatch>
    <FilesMatch "\\.zip\\.(br|gz)$">
        ForceType application/zip
    </FilesMatch>
    Header always set Cache-Control "{REVALIDATE}"
{headers}
    # 404.html is served at any depth; its <base> is rewritten to this sub-path.
    ErrorDocument 404 {sub_path}{NOT_FOUND_PAGE}
    <Files "{NOT_FOUND_PAGE}">
        SetOutputFilter SUBSTITUTE
{substitutes}
    </Files>
</Directory>
{immutable}
"""


def iis(sub_path: str = "/intranet/guidelines/", frame_ancestors: str = DEFAULT_FRAME_ANCESTORS) -> str:
    mime = "\n".join(
        f'      <remove fileExtension=".{suffix}" />\n      <mimeMap fileExtension=".{suffix}" mimeType="{kind}" />'
        for suffix, kind in CONTENT_TYPES.items()
    )
    headers = "\n".join(
        f'        <add name="{name}" value="{value.replace(chr(39), "&apos;")}" />'
        for name, value in security_headers(frame_ancestors).items()
    )
    cache_rules = "\n".join(
        f'        <rule name="{html.escape(rule.why)}">\n'
        '          <match serverVariable="RESPONSE_Cache_Control" pattern=".*" />\n'
        f'          <conditions><add input="{{URL}}" pattern="{html.escape(rule.pattern)}" /></conditions>\n'
        f'          <action type="Rewrite" value="{rule.cache_control}" />\n'
        "        </rule>"
        for rule in CACHE_RULES
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!-- {DO_NOT_EDIT} -->
<!-- Interactive clinical guidelines on IIS 10 (documented, not tested here): put this web.config
     in the site folder, served as the application or virtual directory {sub_path}.
     Precompressed .br/.gz files need the IIS Compression module or URL Rewrite rules; without
     them IIS compresses dynamically. The immutable cache rules are outbound rules of the
     URL Rewrite module; without it, everything is revalidated (no-cache), which is safe. -->
<configuration>
  <system.webServer>
    <staticContent>
{mime}
      <clientCache cacheControlMode="NoControl" />
    </staticContent>
    <httpProtocol>
      <customHeaders>
        <add name="Cache-Control" value="{REVALIDATE}" />
{headers}
      </customHeaders>
    </httpProtocol>
    <rewrite>
      <outboundRules>
{cache_rules}
      </outboundRules>
    </rewrite>
    <httpErrors errorMode="Custom" existingResponse="Replace">
      <remove statusCode="404" />
      <error statusCode="404" path="{sub_path}{NOT_FOUND_PAGE}" responseMode="ExecuteURL" />
    </httpErrors>
  </system.webServer>
</configuration>
"""


def frame_ancestors_from_config(mkdocs_yml: Path) -> str:
    """The ``frame_ancestors`` option of the guideline-site plugin, as MkDocs reads ``mkdocs.yml``."""
    from mkdocs.config import load_config

    config = load_config(str(mkdocs_yml))
    plugin = config.plugins["guideline-site"]
    return str(plugin.config.frame_ancestors)


def write_snippets(out: Path, *, sub_path: str, root: str, frame_ancestors: str) -> list[Path]:
    files = {
        out / "nginx" / "guidelines-http.conf": nginx_http(frame_ancestors),
        out / "nginx" / "guidelines-location.conf": nginx_location(sub_path, root, frame_ancestors),
        out / "apache" / "guidelines.conf": apache(sub_path, root, frame_ancestors),
        out / "iis" / "web.config": iis(sub_path, frame_ancestors),
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
