"""``cowapp --self-test``: does this installation have everything a cart needs? One line per check.

Run by IT after installing (``cowapp-console --self-test``) and by CI from the bundle. Each check
uses the shipped files exactly as the app does (migrations, taxonomy, known issues, translations)
plus the parts that differ per machine (keyring backend, TLS trust, the Qt platform), prints
``OK``/``FAIL`` with what it found, and the run exits non-zero when any check failed. Nothing in
the cart's data dir is changed: the database check migrates a throwaway file. Composition layer.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cowapp import __version__, bundle, paths, provisioning
from cowapp.cli import EXIT_ENVIRONMENT, EXIT_OK
from cowapp.config import Config, ConfigError, load_config
from cowapp.domain.known_issues import CatalogueError, load_catalogue
from cowapp.domain.taxonomy import Taxonomy, load_taxonomy
from cowapp.storage.migrate import current_revision, head_revision, open_database
from cowapp.sync import credentials
from cowapp.sync.transport import tls_context

if TYPE_CHECKING:  # Qt is imported only when a check needs it
    from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


class SelfTestError(Exception):
    """A check found something wrong; the message says what."""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes:
        name: what was checked, e.g. ``database``.
        ok: whether it passed.
        detail: what was found (the error on failure).
    """

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        """``OK    name: detail`` or ``FAIL  name: detail``."""
        return f"{'OK  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


@dataclass
class _Context:
    """What the checks share: the data dir, the cart's config and the loaded taxonomy."""

    home: Path
    config: Config | None = None
    taxonomy: Taxonomy | None = None


def run_self_test(home: Path, out: Callable[[str], None] = print) -> int:
    """Run every check, print one line each, and return the exit code (0: all passed)."""
    where = f"bundle {Path(sys.executable).parent}" if bundle.is_frozen() else "source"
    out(f"cowapp {__version__} self-test ({where}, Python {sys.version.split()[0]})")
    results = list(run_checks(_Context(home)))
    for result in results:
        out(result.line())
    failed = [r.name for r in results if not r.ok]
    out(
        f"self-test: {len(failed)} of {len(results)} checks failed: {', '.join(failed)}"
        if failed
        else f"self-test: all {len(results)} checks passed"
    )
    return EXIT_ENVIRONMENT if failed else EXIT_OK


def run_checks(context: _Context) -> Iterable[CheckResult]:
    """Each check in turn; an exception in one becomes its FAIL line, the others still run."""
    checks: list[tuple[str, Callable[[_Context], str]]] = [
        ("config", _check_config),
        ("provisioning", _check_provisioning),
        ("database", _check_database),
        ("taxonomy", _check_taxonomy),
        ("known issues", _check_known_issues),
        ("translations", _check_translations),
        ("keyring", _check_keyring),
        ("TLS trust", _check_tls),
        ("intake screen", _check_intake_screen),
    ]
    for name, check in checks:
        try:
            yield CheckResult(name, True, check(context))
        except Exception as error:  # a self-test reports every failure, whatever its kind
            log.warning("self-test %s failed", name, exc_info=True)
            yield CheckResult(name, False, _describe(error))


def _describe(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text if isinstance(error, SelfTestError) else f"{type(error).__name__}: {text}"


def _check_config(context: _Context) -> str:
    path = context.home / paths.CONFIG_NAME
    try:
        context.config = load_config(path)
    except ConfigError as error:
        raise SelfTestError(str(error)) from None
    config = context.config
    origin = str(path) if path.exists() else f"none at {path}, built-in defaults"
    return f"{origin} (cart {config.cart_id}, ward {config.ward}, sync {config.sync.connector})"


def _check_provisioning(context: _Context) -> str:
    return provisioning.describe_state(context.home)


def _check_database(context: _Context) -> str:
    migrations = paths.migrations_dir()
    with tempfile.TemporaryDirectory(prefix="cowapp-selftest-") as folder:
        opened = open_database(Path(folder) / paths.DB_NAME, migrations)
        try:
            revision = current_revision(opened.db)
        finally:
            opened.db.dispose()
    head = head_revision(migrations)
    if revision != head:
        raise SelfTestError(f"a fresh database reached {revision}, not the head {head}")
    steps = len(list((migrations / "versions").glob("[0-9]*.py")))
    return f"a temporary database migrated through {steps} migrations to {head}"


def _check_taxonomy(context: _Context) -> str:
    context.taxonomy = load_taxonomy(paths.resources_dir() / "taxonomy.json")
    categories = context.taxonomy.categories
    subcategories = sum(len(c.subcategories) for c in categories)
    return f"{len(categories)} categories, {subcategories} subcategories"


def _check_known_issues(context: _Context) -> str:
    """The catalogue through the app's own loader, so the check sees what intake will show."""
    taxonomy = context.taxonomy or load_taxonomy(paths.resources_dir() / "taxonomy.json")
    try:
        catalogue = load_catalogue(paths.resources_dir() / "known_issues.json", taxonomy)
    except CatalogueError as error:
        raise SelfTestError(str(error)) from None
    if not catalogue.known_issues:
        raise SelfTestError("the known-issue catalogue holds no entries")
    issues, checklists = len(catalogue.known_issues), len(catalogue.checklists)
    return f"{issues} known issues, checklists for {checklists} categories"


def _check_translations(context: _Context) -> str:
    from PySide6.QtCore import QCoreApplication

    from cowapp.ui.i18n import LANGUAGES, Translator

    app = _application()
    translator = Translator(app, paths.resources_dir() / "translations")
    try:
        found = []
        for language in LANGUAGES:
            if not translator.switch(language):
                raise SelfTestError(f"cowapp_{language}.qm cannot be loaded")
            found.append(f"{language}: {QCoreApplication.translate('MainWindow', 'Overview')!r}")
        if "Overview" in found[0]:
            raise SelfTestError("the Dutch translation does not translate 'Overview'")
    finally:
        translator.uninstall()
    return ", ".join(found)


def _check_keyring(context: _Context) -> str:
    name = credentials.backend_name()
    sync_on = context.config is not None and context.config.sync.enabled
    try:
        credentials.get_secret("cowapp-self-test")  # a read: nothing is stored or changed
    except credentials.CredentialError as error:
        if sync_on:
            raise SelfTestError(str(error)) from None
        return f"{name} is not usable (note: needed only once [sync] is configured)"
    return f"{name} (readable)"


def _check_tls(context: _Context) -> str:
    config = context.config or Config(path=context.home / paths.CONFIG_NAME)
    ssl_context, source = tls_context(config.sync)
    library = type(ssl_context).__module__.partition(".")[0]  # truststore, or ssl
    return f"{source} (via {library})" if library == "truststore" else source


def _check_intake_screen(context: _Context) -> str:
    from cowapp.ui.intake import IntakeScreen, SubmitResult

    app = _application()
    taxonomy = context.taxonomy or load_taxonomy(paths.resources_dir() / "taxonomy.json")

    def refuse(_draft: object) -> SubmitResult:
        raise SelfTestError("the self-test never saves")

    screen = IntakeScreen(taxonomy, refuse, "Self-test")
    try:
        screen.resize(1280, 800)
        image = screen.grab().toImage()
        colours = {image.pixel(x, y) for x in range(0, 1280, 40) for y in range(0, 800, 40)}
    finally:
        screen.deleteLater()
        app.processEvents()
    if image.width() != 1280 or len(colours) < 3:
        size = f"{image.width()}x{image.height()}"
        raise SelfTestError(f"rendered {size} with only {len(colours)} colours")
    return f"rendered 1280x800 on the {app.platformName()} platform ({len(colours)} colours seen)"


def _application() -> QApplication:
    """The running QApplication, or a new one (offscreen unless a platform was chosen)."""
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a check, not a window for anyone
    return QApplication(["cowapp-self-test"])
