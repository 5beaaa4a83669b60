"""The cart's settings from ``COWAPP_HOME/config.toml``, validated with messages that say where.

Every key has a sensible default, so a missing file is fine: the cart runs on a local SQLite
file with no central service. A malformed file is refused with one message naming the file, the
key and the problem (``config.toml: privacy.retention_days: must be a whole number ≥ 1``).

The policies a configuration implies (session, lock-out, metrics) are built by methods that
import their domain modules when called: the cart reads its configuration before it paints its
first screen, which needs none of them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cowapp.domain.errors import ValidationError
from cowapp.domain.intake import DEFAULT_ASSET_PATTERN, IntakePolicy
from cowapp.domain.priority import PriorityMatrix
from cowapp.sync.settings import CONNECTORS, Mapping, SyncSettings, check_url

if TYPE_CHECKING:
    from cowapp.domain.metrics import MetricsSettings
    from cowapp.domain.session import SessionPolicy
    from cowapp.domain.technician import LockoutPolicy

DEFAULT_GROUPS = (
    "Servicedesk",
    "Applicatiebeheer HiX",
    "Autorisaties",
    "Werkplekbeheer",
    "Netwerkbeheer",
    "Printbeheer",
    "Medische Technologie",
)


class ConfigError(Exception):
    """config.toml cannot be used; the message names the file, key and problem."""


@dataclass(frozen=True)
class Config:
    """All settings, with defaults.

    Attributes:
        path: where the settings came from (may not exist).
        cart_id: this cart's name, e.g. ``COW-07``.
        ward: the ward the cart serves by default.
        language: ``nl`` or ``en`` for the screens.
        retention_days: synced free text is purged locally after this many days.
        asset_pattern: regular expression an asset tag must match.
        matrix: the impact × urgency → priority matrix.
        escalation_groups: resolver groups a technician can escalate to.
        sync: the central service to sync with (none by default).
        lock_after_seconds: idle time before the privacy screen hides the signed-in work.
        end_after_seconds: idle time before the session ends and the cart returns to intake.
        pin_attempts: consecutive wrong technician PINs that lock the account.
        pin_lockout_minutes: how long such a lock-out lasts.
        go_live: day 0 of the dashboard's day-since-go-live axis (None: the first issue's day).
        baseline_per_day: issues per day before the carts came (None: not known yet).
        target_drop_percent: the promised drop in volume (70).
        timezone: the hospital's time zone, for calendar days on the dashboard.
    """

    path: Path
    cart_id: str = "COW-01"
    ward: str = "Onbekend"
    language: str = "nl"
    retention_days: int = 30
    asset_pattern: str = DEFAULT_ASSET_PATTERN
    matrix: PriorityMatrix = field(default_factory=PriorityMatrix.itil_default)
    escalation_groups: tuple[str, ...] = DEFAULT_GROUPS
    sync: SyncSettings = field(default_factory=SyncSettings)
    lock_after_seconds: int = 120
    end_after_seconds: int = 600
    pin_attempts: int = 5
    pin_lockout_minutes: int = 15
    go_live: date | None = None
    baseline_per_day: float | None = None
    target_drop_percent: float = 70.0
    timezone: str = "Europe/Amsterdam"

    def intake_policy(self) -> IntakePolicy:
        """The intake rules this configuration implies."""
        return IntakePolicy(
            self.cart_id, self.ward, self.matrix, self.asset_pattern, self.escalation_groups
        )

    def session_policy(self) -> SessionPolicy:
        """The shared-device idle times this configuration implies."""
        from cowapp.domain.session import SessionPolicy

        return SessionPolicy(
            timedelta(seconds=self.lock_after_seconds), timedelta(seconds=self.end_after_seconds)
        )

    def lockout_policy(self) -> LockoutPolicy:
        """The technician PIN lock-out rule this configuration implies."""
        from cowapp.domain.technician import LockoutPolicy

        return LockoutPolicy(self.pin_attempts, self.pin_lockout_minutes)

    def metrics_settings(self) -> MetricsSettings:
        """How the dashboard and reports frame the numbers."""
        from cowapp.domain.metrics import MetricsSettings

        return MetricsSettings(
            self.go_live, self.baseline_per_day, self.target_drop_percent, _zone(self.timezone)
        )


def _zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only when a time zone is used

    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # a system without a time-zone database: UTC days
        return UTC


def _text(limit: int) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("must be a non-empty string")
        if len(value) > limit:
            raise ValueError(f"must be at most {limit} characters")
        return value.strip()

    return check


def _language(value: object) -> str:
    if value not in ("nl", "en"):
        raise ValueError('must be "nl" or "en"')
    return str(value)


def _days(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650:
        raise ValueError("must be a whole number of days from 1 to 3650")
    return value


def _pattern(value: object) -> str:
    text = _text(200)(value)
    try:
        re.compile(text)
    except re.error as exc:
        raise ValueError(f"is not a valid regular expression ({exc})") from None
    return text


def _matrix(value: object) -> PriorityMatrix:
    if not isinstance(value, list):
        raise ValueError("must be a list of 3 lists of 3 numbers")
    try:
        return PriorityMatrix.from_rows(value)
    except ValidationError as exc:
        raise ValueError(str(exc)) from None


def _groups(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of group names")
    names = tuple(_text(60)(v) for v in value)
    if len(set(names)) != len(names):
        raise ValueError("lists a group twice")
    return names


def _choice(*allowed: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in allowed:
            raise ValueError("must be one of: " + ", ".join(f'"{a}"' for a in allowed))
        return str(value)

    return check


def _url(value: object) -> str:
    return check_url(_text(300)(value))


def _seconds(low: float, high: float) -> Callable[[object], float]:
    def check(value: object) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise ValueError(f"must be a number of seconds from {low:g} to {high:g}")
        return float(value)

    return check


def _minutes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 60 * 24 * 30:
        raise ValueError("must be a whole number of minutes from 0 to 43200 (0: never)")
    return value


def _whole(low: int, high: int, unit: str) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be a whole number of {unit} from {low} to {high}")
        return value

    return check


def _date(value: object) -> date:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise ValueError("must be a date without quotes, e.g. 2026-11-02")
    return value


def _positive_number(high: float) -> Callable[[object], float]:
    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= high:
            raise ValueError(f"must be a number above 0 and at most {high:g}")
        return float(value)

    return check


def _timezone(value: object) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only when a time zone is set

    text = _text(60)(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"is not a known time zone (e.g. Europe/Amsterdam): {text}") from None
    return text


def _file(value: object) -> str:
    text = value if isinstance(value, str) else _text(400)(value)
    if text and not Path(text).is_file():
        raise ValueError(f"file {text} does not exist")
    return text


def _table(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError("must be a table of names to values")
    result: dict[str, str] = {}
    for key, item in value.items():
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise ValueError(f"{key!r} must map to a string or a whole number")
        result[str(key)] = str(item)
    return result


# A connector's own section: short settings, text or numbers (each connector documents its keys).
_CONNECTOR_KEYS = {
    "rt": ("queue", "external_id_field", "requestor", "cart_field", "category_field"),
    "topdesk": (
        "login",
        "caller_name",
        "entry_type",
        "call_type",
        "closure_code",
        "processing_status_resolved",
        "external_number_prefix",
    ),
    "servicenow": (
        "username",
        "auth",
        "client_id",
        "correlation_display",
        "caller_id",
        "close_code",
        "contact_type",
    ),
}

# section -> key -> (Config attribute, checker)
_SCHEMA: dict[str, dict[str, tuple[str, Callable[[object], Any]]]] = {
    "cart": {
        "id": ("cart_id", _text(40)),
        "ward": ("ward", _text(40)),
        "language": ("language", _language),
    },
    "privacy": {
        "retention_days": ("retention_days", _days),
        "asset_pattern": ("asset_pattern", _pattern),
    },
    "priority": {"matrix": ("matrix", _matrix)},
    "escalation": {"groups": ("escalation_groups", _groups)},
    "sync": {
        "connector": ("connector", _choice(*CONNECTORS)),
        "url": ("url", _url),
        "credential": ("credential", _text(60)),
        "ca_bundle": ("ca_bundle", _file),
        "timeout_seconds": ("timeout_seconds", _seconds(1, 300)),
        "probe_interval_seconds": ("probe_interval_seconds", _seconds(1, 3600)),
        "send_open_after_minutes": ("send_open_after_minutes", _minutes),
        "concurrency": ("concurrency", _whole(1, 16, "requests at once")),
    },
    "session": {
        "lock_after_seconds": ("lock_after_seconds", _whole(10, 3600, "seconds")),
        "end_after_seconds": ("end_after_seconds", _whole(20, 86400, "seconds")),
        "pin_attempts": ("pin_attempts", _whole(3, 20, "attempts")),
        "pin_lockout_minutes": ("pin_lockout_minutes", _whole(1, 1440, "minutes")),
    },
    "metrics": {
        "go_live": ("go_live", _date),
        "baseline_per_day": ("baseline_per_day", _positive_number(1_000_000)),
        "target_drop_percent": ("target_drop_percent", _positive_number(100)),
        "timezone": ("timezone", _timezone),
    },
    "mapping": {
        name: (name, _table) for name in ("groups", "categories", "subcategories", "priorities")
    },
    **{
        connector: {key: (key, _text(200)) for key in keys}
        for connector, keys in _CONNECTOR_KEYS.items()
    },
}
_NESTED = {"sync", "mapping", *_CONNECTOR_KEYS}


def load_config(path: Path) -> Config:
    """Read and validate ``path``; a missing file gives the defaults.

    Raises:
        ConfigError: naming the file, the key and the problem.
    """
    if not path.exists():
        return Config(path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None
    return parse_config(path, data)


def parse_config(path: Path, data: MappingType[str, object]) -> Config:
    """Validate settings already read from TOML (``path`` names their source in messages).

    Raises:
        ConfigError: naming the file, the key and the problem.
    """
    values = _validated(path, data)
    flat = {k: v for k, v in values.items() if k not in _NESTED}
    sync = _sync_settings(path, values)
    config = Config(path=path, sync=sync, **flat)
    if config.end_after_seconds <= config.lock_after_seconds:
        raise ConfigError(
            f"{path}: session.end_after_seconds: must be more than session.lock_after_seconds "
            f"({config.end_after_seconds} is not more than {config.lock_after_seconds})"
        )
    return config


def _sync_settings(path: Path, values: dict[str, Any]) -> SyncSettings:
    sync: dict[str, Any] = values.get("sync", {})
    connector = sync.get("connector", "none")
    if connector != "none" and not sync.get("url"):
        raise ConfigError(f"{path}: sync.url: required when sync.connector is {connector!r}")
    options = values.get(connector, {})
    return SyncSettings(**sync, options=options, mapping=Mapping(**values.get("mapping", {})))


def _validated(path: Path, data: MappingType[str, object]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for section, content in data.items():
        if section not in _SCHEMA:
            known = ", ".join(sorted(_SCHEMA))
            raise ConfigError(f"{path}: [{section}]: unknown section (known: {known})")
        if not isinstance(content, dict):
            raise ConfigError(f"{path}: {section}: must be a table ([{section}])")
        for key, value in content.items():
            if key not in _SCHEMA[section]:
                known = ", ".join(sorted(_SCHEMA[section]))
                raise ConfigError(f"{path}: {section}.{key}: unknown key (known: {known})")
            attribute, check = _SCHEMA[section][key]
            target = values.setdefault(section, {}) if section in _NESTED else values
            try:
                target[attribute] = check(value)
            except ValueError as exc:
                raise ConfigError(f"{path}: {section}.{key}: {exc}") from None
    return values
