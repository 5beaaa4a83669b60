"""The central service's secret never leaves the OS keyring: not to disk, logs or output.

DESIGN.md: "Credentials live only in the OS keyring, never in SQLite, config files or logs." Two
checks, both with the REAL Request Tracker 5 token (and a wrong one, for the 401 path):

1. A full life through the command line: ``credentials set``/``check``, ``issue add``, ``sync
   --once`` (sent, read back, paused by a wrong token, unreachable service), ``--json`` outputs,
   ``doctor``, ``export``. Afterwards no file under ``COWAPP_HOME`` (the SQLite file and its
   ``-wal``/``-shm``, the logs, backups, exports, anything) and no line any run printed holds the
   secret's bytes, in plain text, UTF-16, or base64 at any byte alignment (as inside a Basic-auth
   header or a base64 blob), nor the token's random part on its own.
2. The same in-process, with the root logger at DEBUG (httpx and httpcore trace every request):
   a good run, a request to a port where nothing listens, and a 401 with a wrong secret. Neither
   secret is in any log record (message, arguments, exception text, extra attributes) nor in any
   error message the engine or the connector produced.

Run inside ``scripts/with-keyring.sh``; without a usable keyring backend these tests skip with the
reason.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import sqlite3
import time
import traceback
import uuid
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cowapp import wiring
from cowapp.domain import bedside
from cowapp.domain.intake import IssueDraft, create_issue
from cowapp.domain.issue import ResolutionCode
from cowapp.settings import load_settings
from cowapp.sync import credentials
from cowapp.sync.connectors.base import SyncError
from tests.conftest import Result, run_cowapp
from tests.integration.sync_helpers import configure_sync, free_loopback_port, write_sync_config

if TYPE_CHECKING:
    from tests.integration.conftest import RT5

REPORTER = "104233"
TECHNICIAN = "T2041"


# -- what a leak looks like ---------------------------------------------------------------------


def leak_forms(secret: str) -> dict[str, bytes]:
    """Byte strings whose presence anywhere means ``secret`` leaked.

    Base64 is checked at all three byte alignments (a secret inside a larger base64 blob, such as
    ``user:secret`` in a Basic-auth header, starts at any offset): only the characters that
    depend on the secret's bytes alone are kept. RT tokens look like ``<id>-<user id>-<32 hex>``:
    the random hex part is checked on its own too, in both cases.
    """
    raw = secret.encode("utf-8")
    forms = {"plain": raw, "utf-16-le": secret.encode("utf-16-le")}
    for shift in range(3):
        data = b"\0" * shift + raw
        first = -(-8 * shift // 6)  # characters that still carry prefix bits
        last = 8 * len(data) // 6  # characters fully made of our bits
        for name, encode in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            forms[f"{name}@{shift}"] = encode(data)[first:last]
    random_part = secret.rsplit("-", 1)[-1]
    if len(random_part) >= 16 and random_part != secret:
        forms["random part"] = random_part.encode("ascii")
        forms["random part, upper case"] = random_part.upper().encode("ascii")
    return forms


def leaks_in(data: bytes, secrets_: dict[str, str]) -> list[str]:
    """Which forms of which secret occur in ``data``."""
    return [
        f"{label} ({form})"
        for label, secret in secrets_.items()
        for form, needle in leak_forms(secret).items()
        if needle in data
    ]


def files_under(home: Path) -> list[Path]:
    return sorted(p for p in home.rglob("*") if p.is_file())


def assert_no_leak_on_disk(home: Path, secrets_: dict[str, str]) -> list[Path]:
    """No file under ``home`` holds a secret; returns the files looked at."""
    files = files_under(home)
    found = {
        str(p.relative_to(home)): hits
        for p in files
        if (hits := leaks_in(p.read_bytes(), secrets_))
    }
    assert not found, f"secrets on disk: {found}"
    return files


# -- the cart, through the command line ---------------------------------------------------------


class Runs:
    """Runs ``cowapp`` against one data dir and keeps every run's output for the leak check."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.results: list[tuple[tuple[str, ...], Result]] = []

    def __call__(self, *args: str, stdin: str | None = None, expect: int | None = 0) -> Result:
        result = run_cowapp(self.home, *args, stdin=stdin, timeout=180)
        self.keep(args, result)
        if expect is not None:
            assert result.code == expect, (args, result)
        return result

    def add(self, description: str, *outcome: str) -> None:
        self(
            "issue",
            "add",
            "--category",
            "printing",
            "--description",
            description,
            "--reporter",
            REPORTER,
            *outcome,
        )

    def keep(self, args: tuple[str, ...], result: Result) -> None:
        """Keep a run made elsewhere (its output is checked for the secret too)."""
        self.results.append((args, result))


def test_no_secret_on_disk_or_in_output_after_a_full_cli_life(
    rt5: RT5, credential_name: str, cowapp_home: Path
) -> None:
    home, run = cowapp_home, Runs(cowapp_home)
    wrong = f"1-2-{secrets.token_hex(16)}"  # RT's token format, not a token RT issued
    stored = configure_sync(home, rt5.url, credential_name, rt5.token)
    run.keep(("credentials", "set", credential_name), stored)
    run("credentials", "check")
    # Another connection stays open (as the cart's screen would), so the write-ahead log the
    # runs write is not folded back and deleted at their exit: it is on disk for the scan.
    with closing(sqlite3.connect(home / "cowapp.db")) as watcher:
        watcher.execute("SELECT count(*) FROM sqlite_master").fetchone()
        secrets_, files = cli_life(run, rt5, credential_name, wrong)
        names = {str(p.relative_to(home)): p.stat().st_size for p in files}
        assert names.get("cowapp.db-wal", 0) > 0, f"no write-ahead log was scanned: {names}"
    assert "cowapp.db" in names and "logs/cowapp.log" in names, names
    assert_no_leak_on_disk(home, secrets_)  # once more, after the log was folded back
    log_text = (home / "logs" / "cowapp.log").read_text(encoding="utf-8")
    assert "/REST/2.0/ticket" in log_text  # the requests were logged, just not their secret
    # Where a secret could hide, spelled out: the keyring holds it, the config names it only.
    assert credential_name in (home / "config.toml").read_text(encoding="utf-8")
    assert credentials.get_secret(credential_name) == rt5.token
    print(f"looked at {len(names)} files: {names}; {len(run.results)} runs")


def cli_life(
    run: Runs, rt5: RT5, credential_name: str, wrong: str
) -> tuple[dict[str, str], list[Path]]:
    """Everything a cart does with the secret; returns the secrets and the files scanned."""
    home = run.home
    run.add("Etikettenprinter print niets", "--resolve", "Herstart", "--technician", TECHNICIAN)
    run.add("Printer lade kapot", "--escalate", "Werkplekbeheer", "--reason", "Onderdeel nodig")
    run.add("Scanner leest slecht")  # stays open at the cart (held)
    run("sync", "--once")
    run("sync", "--once", "--json")
    run("issue", "list", "--json")
    run("doctor", "--json", expect=None)
    run("export", "csv", str(home / "export.csv"), "--with-text")

    # A 401: the wrong secret stored, an issue waiting, the queue paused.
    run("credentials", "set", credential_name, stdin=wrong + "\n")
    run.add("Badgelezer reageert niet", "--resolve", "Opnieuw gekoppeld")
    paused = run("sync", "--once", expect=3)
    assert "401" in paused.err
    run("sync", "--once", "--json", expect=3)
    run("credentials", "check", expect=3)

    # The service unreachable (nothing listens on the port).
    run("credentials", "set", credential_name, stdin=rt5.token + "\n")
    write_sync_config(home, f"http://127.0.0.1:{free_loopback_port()}", credential_name)
    run.add("Wifi valt weg", "--resolve", "Access point herstart")
    run("sync", "--once", expect=None)  # 3 (still paused, probe fails) or 5: both fine here
    run("credentials", "check", expect=3)

    # Back to normal: everything drains.
    write_sync_config(home, rt5.url, credential_name)
    done = run("sync", "--once", expect=None)
    if done.code == 5:  # the failed item's backoff (at most 2 s after one try)
        time.sleep(2.5)
        done = run("sync", "--once")
    assert done.code == 0, done
    run("sync", "--attention")

    secrets_ = {"RT token": rt5.token, "wrong token": wrong}
    output_hits = [
        (args, hits)
        for args, result in run.results
        if (hits := leaks_in((result.out + result.err).encode("utf-8"), secrets_))
    ]
    assert not output_hits, f"a secret was printed: {output_hits}"
    return secrets_, assert_no_leak_on_disk(home, secrets_)


# -- in-process, logging at DEBUG ---------------------------------------------------------------


def add_issue(home: Path, description: str) -> None:
    """Save one issue resolved at the bedside (sent right away), the way ``issue add`` does."""
    settings = load_settings(home)
    cart = wiring.open_cart(settings)
    try:
        now = wiring.utc_now()
        draft = IssueDraft(category="printing", reporter=REPORTER, description=description)
        issue, report = create_issue(draft, settings.taxonomy, settings.config.intake_policy(), now)
        resolved = bedside.resolve(
            issue,
            actor=TECHNICIAN,
            at=now,
            code=ResolutionCode.RESTARTED,
            notes="Herstart en getest",
            minutes_spent=5,
            confirmed_not_patient_data=False,
        )
        cart.issues.add(issue, bedside.privacy_audit(report, resolved))
    finally:
        cart.close()


def sync_in_process(home: Path) -> tuple[list[str], str | None]:
    """One `run_once` and one `probe`, wired exactly as ``sync --once`` wires them.

    Returns every error message the engine reported and the probe's failure (None: fine).
    """
    cart = wiring.open_cart(load_settings(home))
    try:
        parts = wiring.open_sync(cart)
        try:
            summary = parts.engine.run_once()
            problem = parts.engine.probe()
        finally:
            parts.close()
    finally:
        cart.close()
    messages = [*summary.errors, summary.paused or "", summary.last_error or ""]
    if problem is not None:
        messages += [str(problem), repr(problem), *exception_texts(problem)]
    return messages, (str(problem) if problem is not None else None)


def exception_texts(error: BaseException) -> list[str]:
    """The formatted exception and every exception it chains to (even suppressed context)."""
    texts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current)]
        current = current.__cause__ or current.__context__
    return texts


def test_no_secret_in_debug_logs_or_error_messages(
    rt5: RT5,
    credential_name: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "inproc"
    home.mkdir()
    wrong = f"1-2-{secrets.token_hex(16)}"
    caplog.set_level(logging.DEBUG)  # the root logger and caplog's handler on it
    for name in ("httpx", "httpcore", "cowapp"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    messages: list[str] = []

    # 1. A good run: sent, read back (httpcore traces every request at DEBUG).
    write_sync_config(home, rt5.url, credential_name)
    credentials.set_secret(credential_name, rt5.token)
    add_issue(home, "Etikettenprinter print niets")
    got, problem = sync_in_process(home)
    messages += got
    assert problem is None, problem

    # 2. A failing request: nothing listens on the configured port.
    write_sync_config(home, f"http://127.0.0.1:{free_loopback_port()}", credential_name)
    add_issue(home, "Printer lade kapot")
    got, problem = sync_in_process(home)
    messages += got
    assert problem is not None and "ConnectError" in problem, problem

    # 3. A 401: a wrong secret stored, RT reachable again.
    credentials.set_secret(credential_name, wrong)
    write_sync_config(home, rt5.url, credential_name)
    add_issue(home, "Badgelezer reageert niet")  # due now (the one before waits out a backoff)
    got, problem = sync_in_process(home)
    messages += got
    assert problem is not None and "401" in problem, problem
    assert any("paused" in m for m in messages), messages

    # 4. The connector's own failure paths, straight (both secrets, both failures).
    from cowapp.sync.connectors.rt import RTConnector
    from cowapp.sync.settings import SyncSettings
    from cowapp.sync.transport import make_client

    for url in (rt5.url, f"http://127.0.0.1:{free_loopback_port()}"):
        for token in (rt5.token, wrong):
            settings = SyncSettings(connector="rt", url=url, timeout_seconds=5)
            with make_client(settings) as client:
                connector = RTConnector(client, token, settings)
                try:
                    connector.find(str(uuid.uuid4()))
                except SyncError as error:
                    messages += exception_texts(error)

    records = caplog.records
    assert any(r.name.startswith("httpcore") and r.levelno == logging.DEBUG for r in records)
    assert any("401" in r.getMessage() for r in records), "the 401 was not logged at all"
    secrets_ = {"RT token": rt5.token, "wrong token": wrong}
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    record_hits = []
    for record in records:
        text = "\n".join([formatter.format(record), record.getMessage(), repr(vars(record))])
        if hits := leaks_in(text.encode("utf-8", "replace"), secrets_):
            record_hits.append((record.name, record.getMessage()[:200], hits))
    assert not record_hits, f"a secret is in a log record: {record_hits}"
    message_hits = [m[:200] for m in messages if leaks_in(m.encode("utf-8"), secrets_)]
    assert not message_hits, f"a secret is in an error message: {message_hits}"
    captured = capsys.readouterr()
    assert not leaks_in((captured.out + captured.err).encode("utf-8"), secrets_)
    assert_no_leak_on_disk(home, secrets_)
    json.dumps(messages)  # every message is plain text
    print(f"{len(records)} log records and {len(messages)} error messages checked")


def test_the_leak_detector_finds_each_form() -> None:
    """The scan itself: a secret hidden in each form is found; an unrelated token is not."""
    secret = f"1-27-{secrets.token_hex(16)}"
    hidden = {
        "plain": f"Authorization: token {secret}".encode(),
        "basic auth": base64.b64encode(f"cowapp:{secret}".encode()),
        "base64, offset 1": base64.b64encode(b"x" + secret.encode() + b"yz"),
        "base64url, offset 2": base64.urlsafe_b64encode(b"xy" + secret.encode()),
        "utf-16": f"<{secret}>".encode("utf-16-le"),
        "random part only": secret.rsplit("-", 1)[-1].upper().encode(),
    }
    for name, data in hidden.items():
        assert leaks_in(b"..." + data + b"...", {"s": secret}), name
    assert not leaks_in(f"token 1-27-{secrets.token_hex(16)}".encode(), {"s": secret})
