"""Dispatching a parsed command line and turning every failure into a message and exit code.

Refused input (a domain rule, a bad config value) prints one line and exits 2; an environment
failure (disk full, damaged or too-new database) exits 4; anything else is a bug: its traceback
goes to the log and the user gets one line saying where to find it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from cowapp.cli import (
    EXIT_BUG,
    EXIT_ENVIRONMENT,
    EXIT_REFUSED,
    EXIT_WAITING,
    issue_commands,
    provision_commands,
    report_commands,
    support_commands,
    sync_commands,
    technician_commands,
)
from cowapp.config import ConfigError
from cowapp.domain.errors import DomainError
from cowapp.domain.taxonomy import TaxonomyError
from cowapp.provisioning import ProvisioningError
from cowapp.settings import load_settings
from cowapp.storage.errors import NotFoundError, StorageError
from cowapp.sync.connectors.base import SyncError
from cowapp.sync.credentials import CredentialError
from cowapp.wiring import SyncNotReadyError

log = logging.getLogger(__name__)
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process ended by SIGPIPE


def run_command(args: argparse.Namespace, home: Path) -> int:
    """Run one headless command; never raises (except SystemExit from argparse)."""
    try:
        return _dispatch(args, home)
    except DomainError as exc:
        return _fail(EXIT_REFUSED, f"refused: {exc}")
    except (ConfigError, NotFoundError, ProvisioningError) as exc:
        return _fail(EXIT_REFUSED, str(exc))
    except (StorageError, TaxonomyError, CredentialError) as exc:
        return _fail(EXIT_ENVIRONMENT, str(exc))
    except (SyncNotReadyError, SyncError) as exc:  # e.g. a connector option missing: a human
        return _fail(EXIT_WAITING, str(exc))
    except BrokenPipeError:  # `cowapp issue list | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return _fail(130, "interrupted; nothing half-written was kept")
    except Exception as exc:
        log.exception("unexpected error in %s", args.command)
        return _fail(
            EXIT_BUG,
            f"internal error ({type(exc).__name__}: {exc}); details in "
            f"{home / 'logs' / 'cowapp.log'}",
        )


def _dispatch(args: argparse.Namespace, home: Path) -> int:
    if args.command == "doctor":
        return support_commands.doctor(args, home)
    if args.command == "export":
        return support_commands.export_csv(args, home)
    if args.command == "report":
        return report_commands.report(args, home)
    if args.command == "provision":
        return provision_commands.provision(args, home)
    settings = load_settings(home)
    if args.command == "sync":
        return sync_commands.sync(args, settings)
    if args.command == "credentials":
        return sync_commands.credentials_command(args, settings)
    if args.command == "technician":
        return technician_commands.technician(args, settings)
    handlers = {
        "add": issue_commands.add,
        "list": issue_commands.list_issues,
        "show": issue_commands.show,
    }
    return handlers[args.action](args, settings)


def _fail(code: int, message: str) -> int:
    print(f"cowapp: {' '.join(message.split())}", file=sys.stderr)
    return code
