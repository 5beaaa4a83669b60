"""``cowapp sync`` and ``cowapp credentials``: drain the queue once, handle parked items, and
store or check the central service's secret.

``sync --once`` exits 0 when everything that may be sent was sent, 3 when items wait for a human
or for credentials, 5 when the service was unreachable or failing (everything is kept and will
be retried). Secrets are read from standard input only, never from arguments (they would show up
in the shell history and the process list).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict

from cowapp.cli import EXIT_OK, EXIT_SYNC_INCOMPLETE, EXIT_WAITING
from cowapp.domain.errors import ValidationError
from cowapp.settings import Settings
from cowapp.storage.outbox_store import OutboxStore
from cowapp.sync import credentials
from cowapp.sync.engine import RunSummary
from cowapp.sync.transport import tls_context
from cowapp.sync.worker import ThreadFanOut
from cowapp.wiring import open_cart, open_sync, utc_now


def sync(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch ``cowapp sync --once|--attention|--retry|--discard``."""
    cart = open_cart(settings)
    try:
        if args.attention:
            return _attention(OutboxStore(cart.db), args.json)
        if args.retry is not None or args.discard is not None:
            return _human_action(OutboxStore(cart.db), args)
        parts = open_sync(cart)
        try:
            parts.engine.recover()  # asked to sync now: do not wait out earlier backoffs
            lanes = ThreadFanOut(settings.config.sync.concurrency)
            summary = parts.engine.run_once(fan_out=lanes)
        finally:
            parts.close()
    finally:
        cart.close()
    _print_summary(summary, args.json)
    return _exit_code(summary)


def _exit_code(summary: RunSummary) -> int:
    if summary.paused or summary.needs_attention:
        return EXIT_WAITING
    if summary.failed or not summary.online or summary.pending > summary.held:
        return EXIT_SYNC_INCOMPLETE
    return EXIT_OK


def _print_summary(summary: RunSummary, as_json: bool) -> None:
    if as_json:
        print(json.dumps({**asdict(summary), "last_error": summary.last_error}))
        return
    print(
        f"sent {summary.sent}, adopted {summary.adopted}, failed {summary.failed}, "
        f"needs attention {summary.needs_attention}, pending {summary.pending} "
        f"({summary.held} still open at the cart), read back {summary.read_back}"
    )
    if summary.paused:
        print(summary.paused, file=sys.stderr)
    elif summary.last_error:
        print(f"last error: {summary.last_error}", file=sys.stderr)
    elif summary.settling:
        print(
            f"{summary.settling} waiting (up to the request timeout) for a request that an "
            "interrupted earlier run sent to finish at the central service; a later sync "
            "sends them",
            file=sys.stderr,
        )


def _attention(outbox: OutboxStore, as_json: bool) -> int:
    items = outbox.needing_attention()
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "seq": item.seq,
                        "reference": ref,
                        "operation": item.operation.value,
                        "error": item.last_error,
                    }
                    for item, ref in items
                ]
            )
        )
    for item, reference in [] if as_json else items:
        print(f"{item.seq:>6}  {reference}  {item.operation.value:<6}  {item.last_error}")
    return EXIT_WAITING if items else EXIT_OK


def _human_action(outbox: OutboxStore, args: argparse.Namespace) -> int:
    seq = args.retry if args.retry is not None else args.discard
    parked = {item.seq for item, _ in outbox.needing_attention()}
    if seq not in parked:
        raise ValidationError(
            f"item {seq} is not waiting for attention (see `cowapp sync --attention`)", "seq"
        )
    if args.retry is not None:
        outbox.retry_now(seq, utc_now(), args.technician)
        print(f"item {seq} will be retried at the next sync (looking up the ticket first)")
    else:
        outbox.discard(seq, utc_now(), args.technician)
        print(f"item {seq} discarded (kept on the cart, not sent)")
    return EXIT_OK


def _read_secret() -> str:
    """A secret from standard input: typed (hidden) at a terminal, else all of it (ServiceNow
    OAuth secrets are two lines), without the final line break."""
    if sys.stdin.isatty():
        return getpass.getpass("Secret (not shown): ")
    return sys.stdin.read().rstrip("\r\n")


def credentials_command(args: argparse.Namespace, settings: Settings) -> int:
    """``credentials set NAME`` (secret on stdin) and ``credentials check``."""
    if args.credentials_action == "set":
        secret = _read_secret()
        if not secret:
            raise ValidationError("no secret on standard input (nothing was stored)", "secret")
        credentials.set_secret(args.name, secret)
        print(f"stored the secret for {args.name!r} in {credentials.backend_name()}")
        return EXIT_OK
    sync_settings = settings.config.sync
    _context, trust = tls_context(sync_settings)
    print(f"keyring: {credentials.backend_name()}")
    print(f"TLS trust: {trust}")
    cart = open_cart(settings)
    try:
        parts = open_sync(cart)
        try:
            problem = parts.engine.probe()
        finally:
            parts.close()
    finally:
        cart.close()
    if problem is not None:
        print(f"FAIL  {sync_settings.url}: {problem}")
        return EXIT_WAITING
    print(f"OK    {sync_settings.url} accepts the credentials {sync_settings.credential_name!r}")
    return EXIT_OK
