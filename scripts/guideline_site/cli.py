"""The ``guideline-site`` command, run from a site's own folder (the one holding ``mkdocs.yml``).

    guideline-site new DIR [--language fr]      a whole site: mkdocs.yml, home page, one example guideline
    guideline-site new-guideline NAME           a new guideline folder in the site's docs folder
    guideline-site serve                        the authors' preview: the shipped CSP, rebuilt on change
    guideline-site build                        the static site into site/ (strict: a warning fails)
    guideline-site check                        the guidelines' own checks, no browser (file:line messages)
    guideline-site release-record GUIDELINE     record the decision logic of a guideline's content version
    guideline-site deploy                       the web server snippets, into deploy/
    guideline-site bundle                       a zip of the built site for intranet administrators

Every command reads and writes in the site's folder only, never in the installed package.
Plain ``mkdocs build`` and ``mkdocs serve`` work too: the plugin is the same. Exit status:
0 done, 1 a problem the messages name, 2 a usage error. Messages are in the site's language
(``theme.language``; ``new``: ``--language``).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from calculator import __version__, text
from calculator.text import t

CONFIG_FILE = "mkdocs.yml"


class CommandError(Exception):
    """A command cannot do what was asked; the message says why and what to do."""


class Site:
    """The site a command works on: its ``mkdocs.yml``, read once as MkDocs reads it."""

    def __init__(self, config_file: Path) -> None:
        if not config_file.is_file():
            raise CommandError(t("cli.no_config", path=str(config_file)))
        self.config_file = config_file.resolve()
        self.folder = self.config_file.parent
        self._config: Any = None

    @property
    def config(self) -> Any:
        if self._config is None:
            from mkdocs.config import load_config
            from mkdocs.exceptions import ConfigurationError

            try:
                self._config = load_config(str(self.config_file))
            except ConfigurationError as error:
                raise CommandError(f"{self.config_file}: {error}") from error
        return self._config

    @property
    def docs_dir(self) -> Path:
        return Path(self.config.docs_dir)

    @property
    def language(self) -> str:
        return str(self.config.theme["language"])

    def speak(self) -> None:
        """Make the command's messages the site's language (English where it has no catalogue)."""
        try:
            text.use_language(self.language, site_locales=self.folder / text.SITE_LOCALES)
        except text.CatalogueError:
            text.use_language(text.DEFAULT_LANGUAGE)


def _mkdocs_messages(level: int = logging.WARNING) -> None:
    """MkDocs' own messages (the build's warnings naming file and line), as its CLI shows them."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(handler, "guideline_site", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler.setLevel(level)
        handler.guideline_site = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(min(logger.level or level, level))


def build_site(site: Site, site_dir: Path) -> float:
    """``mkdocs build --strict`` in this process; returns the seconds it took."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _mkdocs_messages()
    started = time.perf_counter()
    try:
        config = load_config(str(site.config_file), site_dir=str(site_dir), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        raise CommandError(t("cli.build.failed", message=str(error) or type(error).__name__)) from error
    return time.perf_counter() - started


# --- the commands ------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from guideline_site import scaffold

    text.use_language(args.language if args.language in text.available_languages() else text.DEFAULT_LANGUAGE)
    try:
        folder = scaffold.new_site(Path(args.directory), language=args.language, title=args.title)
    except (scaffold.ScaffoldError, OSError) as error:
        raise CommandError(str(error)) from error
    print(t("cli.new.done", folder=str(folder)))
    return 0


def cmd_new_guideline(args: argparse.Namespace, site: Site) -> int:
    from guideline_site import scaffold

    try:
        folder = scaffold.new_guideline(
            site.docs_dir, args.name, language=site.language, title=args.title, short_title=args.short_title
        )
    except (scaffold.ScaffoldError, OSError) as error:
        raise CommandError(str(error)) from error
    print(t("cli.new_guideline.done", folder=_relative(folder, site.folder)))
    return 0


def cmd_serve(args: argparse.Namespace, site: Site) -> int:
    from guideline_site import preview

    if not args.prefix.startswith("/") or not args.prefix.endswith("/"):
        raise CommandError(t("cli.prefix", prefix=args.prefix))
    preview.run(site.config_file, port=args.port, prefix=args.prefix)
    return 0


def cmd_build(args: argparse.Namespace, site: Site) -> int:
    site_dir = (site.folder / args.site_dir).resolve()
    seconds = build_site(site, site_dir)
    print(t("cli.build.done", folder=_relative(site_dir, site.folder), seconds=f"{seconds:.1f}"))
    return 0


def cmd_check(args: argparse.Namespace, site: Site) -> int:
    from guideline_site import check

    problems = check.check_site(site.folder, str(site.docs_dir))
    for problem in problems:
        print(problem)
    if problems:
        print(t("cli.check.failed", count=len(problems)), file=sys.stderr)
        return 1
    print(t("cli.check.passed"))
    return 0


def cmd_release_record(args: argparse.Namespace, site: Site) -> int:
    from calculator.model import GuidelineDefinitionError
    from guideline_site import release

    folder = Path(args.guideline)
    if not folder.is_dir():
        folder = site.docs_dir / args.guideline
    if not (folder / "guideline.py").is_file():
        raise CommandError(t("cli.release_record.no_guideline", guideline=args.guideline))
    try:
        path = release.write_record(folder, overwrite=args.overwrite)
    except (release.ReleaseRecordError, GuidelineDefinitionError) as error:
        raise CommandError(str(error)) from error
    print(_relative(path, site.folder))
    return 0


def cmd_deploy(args: argparse.Namespace, site: Site) -> int:
    from guideline_site import deploy

    if not args.sub_path.startswith("/") or not args.sub_path.endswith("/"):
        raise CommandError(t("cli.prefix", prefix=args.sub_path))
    ancestors = args.frame_ancestors or str(site.config.plugins["guideline-site"].config.frame_ancestors)
    out = site.folder / args.out
    for path in deploy.write_snippets(out, sub_path=args.sub_path, root=args.root, frame_ancestors=ancestors):
        print(_relative(path, site.folder))
    return 0


def cmd_bundle(args: argparse.Namespace, site: Site) -> int:
    from guideline_site import assets, bundle

    site_dir = (site.folder / args.site_dir).resolve()
    if not args.no_build:
        build_site(site, site_dir)
    try:
        archive = bundle.bundle(site_dir, site.folder / args.out, site.config_file)
    except assets.BuildError as error:
        raise CommandError(str(error)) from error
    print(_relative(archive, site.folder))
    return 0


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder).as_posix()
    except ValueError:
        return str(path)


# --- the parser --------------------------------------------------------------------------------

SiteCommand = Callable[[argparse.Namespace, Site], int]


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="guideline-site",
        description="Interactive clinical guideline sites: Markdown guidelines with calculators that run "
        "in the browser, offline. Run the commands from the site's folder (the one with mkdocs.yml).",
    )
    main_parser.add_argument("--version", action="version", version=f"guideline-site {__version__}")
    commands = main_parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, summary: str, run: SiteCommand | None = None) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary)
        if run is not None:
            sub.add_argument(
                "-f",
                "--config-file",
                type=Path,
                default=Path(CONFIG_FILE),
                help="the site's configuration (default: mkdocs.yml in this folder)",
            )
            sub.set_defaults(site_command=run)
        return sub

    new = command(
        "new",
        "Create a whole site in DIR: mkdocs.yml, a home page listing the guidelines, one "
        "example guideline with its vignettes, and a README with the commands.",
    )
    new.add_argument("directory", metavar="DIR", help="the folder to create (must not exist, or be empty)")
    new.add_argument("--language", default="en", help="the site's language: en or fr (default: en)")
    new.add_argument("--title", help="the site's name (default: from DIR)")
    new.set_defaults(plain_command=cmd_new)

    guideline = command(
        "new-guideline",
        "Create a new guideline folder NAME in the site's docs folder, ready to build and pass its checks.",
        cmd_new_guideline,
    )
    guideline.add_argument("name", metavar="NAME", help="folder name: lower-case letters, digits, '-' and '_'")
    guideline.add_argument("--title", help="the guideline's full title")
    guideline.add_argument("--short-title", help="its short title, for navigation and summaries")

    serve = command(
        "serve",
        "Preview the site on http://127.0.0.1:PORT/ with the shipped security policy, "
        "rebuilding on every change to what it is built from.",
        cmd_serve,
    )
    serve.add_argument("--port", type=int, default=8000, help="default: 8000")
    serve.add_argument("--prefix", default="/", help="serve under this sub-path, e.g. /intranet/guidelines/")

    build = command("build", "Build the static site (strict: any warning fails the build).", cmd_build)
    build.add_argument("--site-dir", default="site", help="where to write it (default: site)")

    command(
        "check",
        "Run the guidelines' own checks without a browser: authoring errors, vignettes, "
        "every rule reachable, short forms, release records. Exit status 1 on any problem.",
        cmd_check,
    )

    record = command(
        "release-record",
        "Record the decision logic of GUIDELINE's current content version (GUIDELINE/releases/VERSION.json).",
        cmd_release_record,
    )
    record.add_argument("guideline", metavar="GUIDELINE", help="the guideline's folder name (or path)")
    record.add_argument("--overwrite", action="store_true", help="correct the record of an unpublished version")

    deploy = command(
        "deploy",
        "Write the web server snippets (nginx, Apache, IIS) with the site's security headers into the site's folder.",
        cmd_deploy,
    )
    deploy.add_argument("--out", default="deploy", help="folder to write into (default: deploy)")
    deploy.add_argument("--sub-path", default="/intranet/guidelines/", help="the URL path the site is served at")
    deploy.add_argument("--root", default="/srv/guidelines/site/", help="where the built site lies on the server")
    deploy.add_argument("--frame-ancestors", help="pages allowed to embed the site (default: from mkdocs.yml)")

    bundle = command(
        "bundle",
        "Build the site and zip it for intranet administrators: the site, the server "
        "snippets, a README and checksums with their verifier.",
        cmd_bundle,
    )
    bundle.add_argument("--site-dir", default="site", help="where the site is built (default: site)")
    bundle.add_argument("--out", default="dist", help="folder for the zip (default: dist)")
    bundle.add_argument("--no-build", action="store_true", help="zip the site already built in --site-dir")
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if hasattr(args, "site_command"):
            site = Site(Path(args.config_file))
            site.speak()
            return int(args.site_command(args, site))
        return int(args.plain_command(args))
    except CommandError as error:
        print(f"guideline-site {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
