"""``cowapp provision [FILE] [--replace]``: import a provisioning file on purpose.

The app imports the provisioning file by itself only on a cart's first start (see
`cowapp.provisioning`). This command is how IT imports one later: on a cart that already has
settings it refuses unless ``--replace`` is given, which keeps the previous ``config.toml`` as
``config.toml.before-provisioning-<time>``. Technicians already on the cart stay as they are.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cowapp import provisioning
from cowapp.cli import EXIT_OK
from cowapp.provisioning import ProvisioningError


def provision(args: argparse.Namespace, home: Path) -> int:
    """Import the given file, or the first one on the search path."""
    path = Path(args.file) if args.file else provisioning.find_file()
    if path is None:
        searched = ", ".join(str(p) for p in provisioning.search_path())
        raise ProvisioningError(
            f"no {provisioning.FILE_NAME} found (looked in {searched}); give the file's path"
        )
    print(provisioning.import_file(home, path, replace=args.replace))
    return EXIT_OK
