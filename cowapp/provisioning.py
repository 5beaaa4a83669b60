"""Provisioning: hospital IT's file that gives a freshly installed cart its identity, imported once.

IT places ``cowapp-provisioning.toml`` next to the executable or in the machine-wide folder
(`machine_folder`; ``COWAPP_PROVISIONING_PATH`` replaces the search path, for tests and unusual
installs). It holds the sections of ``config.toml`` (cart, sync, connector, mapping, ...) plus
``[technicians] staff = [...]`` (staff numbers, never PINs) and an optional ``[provisioning]
name``. On the first start of the app or of any command, the file is checked completely, the
technicians are added without a PIN, the settings are written to ``<data dir>/config.toml`` and
``provisioned.json`` records what was imported. After that the file is never applied again by
itself, so a later edit of it cannot silently overwrite the cart's settings; ``cowapp provision
--replace`` imports it again on purpose. A bad file is refused with one message naming the file
and the key, and nothing is changed. Composition layer (uses config, storage and the wiring).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cowapp import bundle, paths
from cowapp.config import Config, ConfigError, parse_config
from cowapp.domain.errors import ValidationError
from cowapp.domain.intake import check_staff_number
from cowapp.domain.taxonomy import load_taxonomy
from cowapp.settings import Settings

log = logging.getLogger(__name__)

FILE_NAME = "cowapp-provisioning.toml"
SEARCH_PATH_ENV = "COWAPP_PROVISIONING_PATH"
MARKER_NAME = "provisioned.json"
PROVISIONING_ACTOR = "provisioning"  # who added the technicians, in the audit log
_OWN_SECTIONS = {"provisioning": ("name",), "technicians": ("staff",)}


class ProvisioningError(Exception):
    """The provisioning file cannot be imported; the message names the file and the problem."""


@dataclass(frozen=True)
class Provisioning:
    """A checked provisioning file, ready to import.

    Attributes:
        source: the file.
        digest: SHA-256 of its bytes (recorded, to notice a later edit).
        name: IT's label for this provisioning (``[provisioning] name``), or "".
        config: the settings it gives the cart.
        config_text: those settings as ``config.toml`` text.
        technicians: staff numbers to add without a PIN.
    """

    source: Path
    digest: str
    name: str
    config: Config
    config_text: str
    technicians: tuple[str, ...]


def machine_folder() -> Path:
    """The machine-wide folder IT may put the file in (the same for every user of the machine)."""
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "cowapp"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/cowapp")
    return Path("/etc/cowapp")


def search_path() -> list[Path]:
    """Where the file is looked for, in order: ``COWAPP_PROVISIONING_PATH`` (folders or files,
    separated by ``os.pathsep``) if set; else the bundle's folder, then `machine_folder`."""
    override = os.environ.get(SEARCH_PATH_ENV)
    if override is not None:
        return [Path(part) for part in override.split(os.pathsep) if part]
    folders = [Path(sys.executable).resolve().parent] if bundle.is_frozen() else []
    return [*folders, machine_folder()]


def find_file() -> Path | None:
    """The first provisioning file on the `search_path`, or None."""
    for entry in search_path():
        candidate = entry if entry.suffix == ".toml" else entry / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def read_file(path: Path) -> Provisioning:
    """Read and check a provisioning file completely (nothing is written).

    Raises:
        ProvisioningError: naming the file, the key and the problem.
    """
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except OSError as error:
        raise ProvisioningError(f"{path}: cannot be read: {error.strerror}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ProvisioningError(f"{path}: not valid TOML: {error}") from None
    own = {key: data.pop(key) for key in list(data) if key in _OWN_SECTIONS}
    name, technicians = _own_sections(path, own)
    try:
        config = parse_config(path, data)
    except ConfigError as error:
        raise ProvisioningError(str(error)) from None
    text = _to_toml(path, data)
    return Provisioning(path, _sha256(raw), name, config, text, technicians)


def _own_sections(path: Path, own: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    for section, content in own.items():
        if not isinstance(content, dict):
            raise ProvisioningError(f"{path}: {section}: must be a table ([{section}])")
        for key in content:
            if key not in _OWN_SECTIONS[section]:
                known = ", ".join(_OWN_SECTIONS[section])
                raise ProvisioningError(f"{path}: {section}.{key}: unknown key (known: {known})")
    name = own.get("provisioning", {}).get("name", "")
    if not isinstance(name, str) or len(name) > 80:
        raise ProvisioningError(f"{path}: provisioning.name: must be text of 80 characters at most")
    staff = own.get("technicians", {}).get("staff", [])
    if not isinstance(staff, list) or not all(isinstance(s, str) for s in staff):
        raise ProvisioningError(
            f'{path}: technicians.staff: must be a list of staff numbers as text, e.g. ["104233"]'
        )
    try:
        technicians = tuple(dict.fromkeys(check_staff_number(s, "staff") for s in staff))
    except ValidationError as error:
        raise ProvisioningError(f"{path}: technicians.staff: {error}") from None
    return name, technicians


def import_file(home: Path, path: Path, replace: bool = False) -> str:
    """Import ``path`` into the data dir ``home``; return a one-line summary.

    Everything is checked before anything is written. The technicians are added first (one
    transaction; ones already on the cart are kept), then config.toml is replaced atomically
    (the previous one kept as ``config.toml.before-provisioning-<time>``), then the record.

    Raises:
        ProvisioningError: a bad file, or local settings exist and ``replace`` is False.
    """
    provisioning = read_file(path)
    target = home / paths.CONFIG_NAME
    marker = home / MARKER_NAME
    if not replace and (target.exists() or marker.exists()):
        raise ProvisioningError(
            f"{path}: not imported: this cart already has {target.name} "
            f"({'provisioned before' if marker.exists() else 'written by hand'}); "
            "to replace it, run `cowapp provision --replace`"
        )
    # The store (SQLAlchemy) is imported only here: every later start merely checks the marker.
    from cowapp.storage.technician_store import TechnicianStore
    from cowapp.wiring import open_cart, utc_now

    config = dataclasses.replace(provisioning.config, path=target)
    taxonomy = load_taxonomy(paths.resources_dir() / "taxonomy.json")
    cart = open_cart(Settings(home, config, taxonomy))
    now = utc_now()
    try:
        store = TechnicianStore(cart.db, config.lockout_policy())
        added = store.add_without_pin(provisioning.technicians, now, PROVISIONING_ACTOR)
    finally:
        cart.close()
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    if target.exists():
        target.replace(target.with_name(f"{target.name}.before-provisioning-{stamp}"))
    header = (
        f"# Written by cowapp from the provisioning file {path} on {now:%Y-%m-%d %H:%M} UTC.\n"
        "# Edits here are kept: that file is imported only once (see docs/deployment.md).\n\n"
    )
    _write_atomically(target, header + provisioning.config_text)
    record = {
        "source": str(path),
        "sha256": provisioning.digest,
        "name": provisioning.name,
        "imported_at": now.isoformat(),
        "cart_id": config.cart_id,
        "technicians_added": added,
    }
    _write_atomically(marker, json.dumps(record, indent=2) + "\n")
    log.info("provisioned from %s: cart %s, technicians added %s", path, config.cart_id, added)
    return (
        f"provisioned from {path}: cart {config.cart_id}, ward {config.ward}, sync "
        f"{config.sync.connector}, {len(added)} technician(s) added without a PIN "
        "(each sets one with `cowapp technician set-pin STAFFNR`)"
    )


def provision_on_first_start(home: Path) -> str | None:
    """Import the provisioning file if this cart has never been provisioned and has no settings
    yet; return the summary, or None when nothing was imported.

    Raises:
        ProvisioningError: the file found is bad (nothing was changed).
    """
    if (home / MARKER_NAME).exists():
        return None
    path = find_file()
    if path is None:
        return None
    if (home / paths.CONFIG_NAME).exists():
        log.warning("provisioning file %s not imported: %s already exists", path, paths.CONFIG_NAME)
        return None
    return import_file(home, path)


def describe_state(home: Path) -> str:
    """One line for the self-test: what was imported, or what would be.

    Raises:
        ProvisioningError: a provisioning file waiting to be imported is bad.
    """
    marker = home / MARKER_NAME
    if marker.exists():
        record = json.loads(marker.read_text(encoding="utf-8"))
        source = Path(record["source"])
        line = f"imported {source} on {record['imported_at'][:16]} (cart {record['cart_id']})"
        if source.is_file() and _digest(source) != record["sha256"]:
            line += "; the file changed since and was NOT applied (`cowapp provision --replace`)"
        return line
    path = find_file()
    if path is None:
        return "no provisioning file found in " + ", ".join(str(p) for p in search_path())
    read_file(path)
    if (home / paths.CONFIG_NAME).exists():
        return f"{path} is not imported: {paths.CONFIG_NAME} exists (`cowapp provision --replace`)"
    return f"{path} checked; it is imported at the next start"


def _digest(path: Path) -> str:
    return _sha256(path.read_bytes())


def _sha256(data: bytes) -> str:
    import hashlib  # OpenSSL, loaded only when a file is imported or checked: not at every start

    return hashlib.sha256(data).hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _to_toml(path: Path, data: Mapping[str, Any]) -> str:
    """config.toml text for the checked settings, proven by reading it back."""
    lines: list[str] = []
    for section, table in data.items():
        _table(lines, [section], table)
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != data:  # cannot happen for checked settings; refuse rather than guess
        raise ProvisioningError(f"{path}: its settings cannot be written back as config.toml")
    return text


def _table(lines: list[str], keys: list[str], table: Mapping[str, Any]) -> None:
    lines.append(f"[{'.'.join(_key(k) for k in keys)}]")
    lines.extend(f"{_key(k)} = {_value(v)}" for k, v in table.items() if not isinstance(v, dict))
    for key, value in table.items():
        if isinstance(value, dict):
            lines.append("")
            _table(lines, [*keys, key], value)
    lines.append("")


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    # JSON's string escapes are all valid in a TOML basic string; `_to_toml` reads it back.
    return json.dumps(str(value), ensure_ascii=False)
