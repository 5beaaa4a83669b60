"""Sync configuration: https everywhere except loopback, no secrets in URLs, a URL required once
a connector is chosen; the HTTP client verifies TLS and never follows redirects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cowapp.config import ConfigError, load_config
from cowapp.sync.settings import SyncSettings, check_url
from cowapp.sync.transport import make_client, tls_context


@pytest.mark.parametrize(
    "url",
    [
        "https://rt.ziekenhuis.example",
        "http://127.0.0.1:8085",
        "http://localhost:9000/",
        "http://[::1]:8080",
        "http://127.0.0.2",
    ],
)
def test_accepted_urls(url: str) -> None:
    assert check_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://rt.ziekenhuis.example", "must use https"),
        ("http://10.0.0.5:8080", "must use https"),
        ("ftp://rt.example", "http(s) URL"),
        ("rt.example", "http(s) URL"),
        ("https://user:pw@rt.example", "must not contain credentials"),
    ],
)
def test_refused_urls(url: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        check_url(url)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sync_section_is_read(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
[sync]
connector = "topdesk"
url = "https://topdesk.example/"
send_open_after_minutes = 0
[topdesk]
login = "cowapp"
[mapping.groups]
"Werkplekbeheer" = "WPB 2e lijn"
[mapping.priorities]
"1" = 1
""",
        )
    )
    sync = config.sync
    assert (sync.connector, sync.url, sync.credential_name) == (
        "topdesk",
        "https://topdesk.example",
        "topdesk",
    )
    assert sync.options == {"login": "cowapp"}
    assert sync.mapping.groups == {"Werkplekbeheer": "WPB 2e lijn"}
    assert sync.mapping.priorities == {"1": "1"}
    assert sync.send_open_after_minutes == 0
    assert load_config(tmp_path / "missing.toml").sync.enabled is False


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('[sync]\nconnector = "rt"', "sync.url: required"),
        ('[sync]\nconnector = "jira"', 'sync.connector: must be one of: "none"'),
        ('[sync]\nurl = "http://rt.example"', "sync.url: must use https"),
        ("[sync]\ntimeout_seconds = 0", "sync.timeout_seconds"),
        ('[sync]\nca_bundle = "/nonexistent.pem"', "sync.ca_bundle: file /nonexistent.pem"),
        ('[rt]\npassword = "x"', "rt.password: unknown key"),
        ("[mapping.groups]\nA = true", "mapping.groups: 'A' must map to"),
    ],
)
def test_bad_sync_config(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=r"config\.toml") as refused:
        load_config(write(tmp_path, text))
    assert fragment in str(refused.value)


def test_client_verifies_tls_and_never_follows_redirects() -> None:
    settings = SyncSettings(connector="rt", url="https://rt.example", timeout_seconds=7)
    with make_client(settings) as client:
        assert client.follow_redirects is False
        assert client.timeout.read == 7
        assert client.headers["User-Agent"].startswith("cowapp/")
    _context, source = tls_context(settings)
    assert source == "the operating system's trust store"


def test_ca_bundle_is_the_trust_source(tmp_path: Path) -> None:
    import certifi

    settings = SyncSettings(connector="rt", url="https://rt.example", ca_bundle=certifi.where())
    context, source = tls_context(settings)
    assert source == f"CA bundle {certifi.where()}"
    assert context.get_ca_certs(), "the bundle's CAs are loaded"
