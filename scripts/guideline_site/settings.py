"""What a site's ``mkdocs.yml`` must give the calculator: applied by the plugin, or checked.

A guideline team installs ``guideline-site`` and writes ``plugins: [search, guideline-site]``;
nothing else of this repository's configuration has to be copied for the calculator to work.
In ``on_config`` the plugin

* adds its theme overrides (``guideline_site.theme``) to the site's theme, below the site's
  own ``custom_dir`` (whose templates win) and above Material's;
* applies what the site did not choose: no Google Fonts (Material's default font is loaded
  from another origin), the calculator's stylesheet, the Markdown extensions the guideline
  pages are written with, no "Made with Material" link to another origin;
* refuses what cannot work, naming the setting and what to write instead: a theme other
  than Material, a font the site chose (it would be fetched from Google Fonts).

Each applied setting is one a site could also write itself; writing it is never an error.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

CALCULATOR_CSS = "assets/calculator/calculator.css"
MARKDOWN_EXTENSIONS = ("admonition", "attr_list", "md_in_html", "tables", "toc")
"""Standard Python-Markdown extensions the guideline pages and the scaffold are written with."""
MATERIAL_DEFAULT_FONT = {"text": "Roboto", "code": "Roboto Mono"}
"""Material's own default (``mkdocs_theme.yml``), which it loads from Google Fonts."""


def theme_folder() -> Path:
    """The theme overrides shipped in the package (``theme/`` of this repository)."""
    return Path(str(importlib.resources.files("guideline_site.theme")))


def apply(config: MkDocsConfig) -> list[str]:
    """Apply and check the settings above on ``config``; return what was applied, for the log."""
    theme = config.theme
    if theme.name != "material":
        raise PluginError(
            f"theme.name is {theme.name!r}: guideline-site extends Material's templates; "
            "write `theme: {name: material}` in mkdocs.yml"
        )
    applied = []
    ours = str(theme_folder())
    if ours not in theme.dirs:
        custom = theme.custom_dir
        at = 1 if custom and theme.dirs and Path(theme.dirs[0]) == Path(custom) else 0
        theme.dirs.insert(at, ours)
    font = theme["font"]
    if font == MATERIAL_DEFAULT_FONT:
        theme["font"] = False
        applied.append("theme.font: false (Material's default font comes from Google Fonts)")
    elif font is not False:
        raise PluginError(
            f"theme.font is {font!r}: Material would load it from Google Fonts, another origin, and the site makes "
            "no request to any other origin; write `font: false` under `theme:` in mkdocs.yml (to use a font, "
            "serve its files from your custom_dir and name it in a stylesheet)"
        )
    if CALCULATOR_CSS not in config.extra_css:
        config.extra_css.append(CALCULATOR_CSS)
        applied.append(f"extra_css: {CALCULATOR_CSS}")
    missing = [name for name in MARKDOWN_EXTENSIONS if name not in config.markdown_extensions]
    if missing:
        config.markdown_extensions.extend(missing)
        applied.append("markdown_extensions: " + ", ".join(missing))
    extra: Any = config.extra
    if "generator" not in extra:
        extra["generator"] = False
        applied.append("extra.generator: false (no link to another origin in the footer)")
    return applied
