"""Headless commands (``cowapp issue add``, ``doctor``, ``export``) sharing the GUI's code paths.

Exit codes, as DESIGN.md's outside interface says: 0 success, 2 refused input (one line on
stderr, nothing written), 3 waiting for a human (sync: needs attention or credentials), 4 the
environment failed (disk full, locked, damaged, newer schema), 5 sync could not finish (the
central service unreachable or failing; everything is kept), 1 a bug (logged with its traceback).
"""

EXIT_OK = 0
EXIT_BUG = 1
EXIT_REFUSED = 2
EXIT_WAITING = 3
EXIT_ENVIRONMENT = 4
EXIT_SYNC_INCOMPLETE = 5
