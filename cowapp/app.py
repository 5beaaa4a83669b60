"""cowapp's entry point: parse arguments, set up logging and the data dir, then run a command
or start the cart's screen.

``cowapp`` starts the GUI; ``cowapp --demo`` starts it on a throwaway data dir with sample data;
``cowapp <command>`` runs a headless command (see `cowapp.cli`). Qt is imported only for the GUI,
so headless commands start fast and run where no display libraries are installed.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import shutil
import sys
import tempfile
from pathlib import Path

from cowapp import paths
from cowapp.cli.main import run_command
from cowapp.cli.parser import build_parser

DEMO_CONFIG = (
    '[cart]\nid = "COW-DEMO"\nward = "B4 Interne"\n'
    "[metrics]\nbaseline_per_day = 30\n"  # paper lists before the carts: ~30 a day
)


def main(argv: list[str] | None = None) -> int:
    """Run cowapp with ``argv`` (default: the process's arguments); return the exit code."""
    args = build_parser().parse_args(argv)
    if args.demo:
        if args.command is not None:
            build_parser().error("--demo starts the screen; it does not go with a command")
        demo_home = Path(tempfile.mkdtemp(prefix="cowapp-demo-"))
        (demo_home / paths.CONFIG_NAME).write_text(DEMO_CONFIG, encoding="utf-8")
        os.environ["COWAPP_HOME"] = str(demo_home)
    home = paths.data_dir()
    setup_logging(home)
    if args.command is not None:
        return run_command(args, home)
    from cowapp.gui import launch

    try:
        return launch(home, demo=args.demo, quit_after=args.quit_after)
    finally:
        if args.demo:  # a throwaway data dir: nothing in it is real, so nothing is lost
            logging.shutdown()
            shutil.rmtree(demo_home, ignore_errors=True)


def setup_logging(home: Path) -> None:
    """Log to ``<data dir>/logs/cowapp.log`` (rotated); secrets are never passed to the logger."""
    folder = home / "logs"
    try:
        folder.mkdir(exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "cowapp.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:  # a full or read-only disk must not stop the app from reporting that
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)


if __name__ == "__main__":
    sys.exit(main())
