"""cowapp's entry point: parse arguments, set up logging and the data dir, then run a command
or start the cart's screen.

``cowapp`` starts the GUI; ``cowapp --demo`` starts it on a throwaway data dir with sample data;
``cowapp <command>`` runs a headless command (see `cowapp.cli`); ``cowapp --self-test`` checks
the installation (`cowapp.selftest`). Before either, a cart that was never set up imports IT's
provisioning file (`cowapp.provisioning`), and the PyInstaller bundle picks its keyring backend
(`cowapp.bundle`). Qt is imported only for the GUI and the self-test's screen check, so headless
commands start fast and run where no display libraries are installed.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from cowapp import bundle, paths, provisioning
from cowapp.cli import EXIT_ENVIRONMENT, EXIT_REFUSED
from cowapp.cli.parser import build_parser, parse_arguments
from cowapp.domain.taxonomy import TaxonomyError
from cowapp.logfile import RotatingLog
from cowapp.storage.errors import StorageError

log = logging.getLogger(__name__)

DEMO_CONFIG = (
    '[cart]\nid = "COW-DEMO"\nward = "B4 Interne"\n'
    "[metrics]\nbaseline_per_day = 30\n"  # paper lists before the carts: ~30 a day
)


def main(argv: list[str] | None = None) -> int:
    """Run cowapp with ``argv`` (default: the process's arguments); return the exit code."""
    args = parse_arguments(argv)
    if args.demo:
        if args.command is not None:
            build_parser().error("--demo starts the screen; it does not go with a command")
        demo_home = Path(tempfile.mkdtemp(prefix="cowapp-demo-"))
        (demo_home / paths.CONFIG_NAME).write_text(DEMO_CONFIG, encoding="utf-8")
        os.environ["COWAPP_HOME"] = str(demo_home)
    if args.self_test and (args.demo or args.command is not None):
        build_parser().error("--self-test runs on its own, without --demo or a command")
    home = paths.data_dir()
    setup_logging(home)
    bundle.select_keyring()
    if args.self_test:
        from cowapp.selftest import run_self_test

        return run_self_test(home)
    if not args.demo and args.command != "provision":
        refused = _provision_first_start(home, on_screen=args.command is None)
        if refused is not None:
            return refused
    if args.command is not None:
        from cowapp.cli.main import run_command  # not for the screen: it imports the store

        return run_command(args, home)
    from cowapp.gui import launch

    try:
        return launch(home, demo=args.demo, quit_after=args.quit_after)
    finally:
        if args.demo:  # a throwaway data dir: nothing in it is real, so nothing is lost
            logging.shutdown()
            shutil.rmtree(demo_home, ignore_errors=True)


def _provision_first_start(home: Path, on_screen: bool) -> int | None:
    """Import IT's provisioning file on a cart's first start; an exit code if it was refused."""
    try:
        summary = provisioning.provision_on_first_start(home)
    except (provisioning.ProvisioningError, StorageError, TaxonomyError, OSError) as error:
        log.error("provisioning failed: %s", error)
        refused = isinstance(error, provisioning.ProvisioningError)
        message = f"cowapp: {' '.join(str(error).split())}"
        print(message, file=sys.stderr)
        if on_screen:  # a kiosk has nobody reading stderr
            from PySide6.QtWidgets import QApplication, QMessageBox

            app = QApplication.instance() or QApplication(sys.argv)
            QMessageBox.critical(None, "cowapp", message)
            del app
        return EXIT_REFUSED if refused else EXIT_ENVIRONMENT
    if summary is not None:
        print(f"cowapp: {summary}", file=sys.stderr)
    return None


def setup_logging(home: Path) -> None:
    """Log to ``<data dir>/logs/cowapp.log`` (rotated); secrets are never passed to the logger."""
    folder = home / "logs"
    try:
        folder.mkdir(exist_ok=True)
        handler: logging.Handler = RotatingLog(folder / "cowapp.log", 2_000_000, backups=5)
    except OSError:  # a full or read-only disk must not stop the app from reporting that
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)


if __name__ == "__main__":
    sys.exit(main())
