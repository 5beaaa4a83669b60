"""``python -m cowapp`` runs the same entry point as the ``cowapp`` command."""

import sys

from cowapp.app import main

sys.exit(main())
