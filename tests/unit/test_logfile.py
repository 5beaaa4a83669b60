"""The cart's rotating log file (`cowapp.logfile.RotatingLog`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from cowapp.logfile import RotatingLog


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    log = logging.getLogger("test_logfile")
    log.propagate = False
    log.setLevel(logging.INFO)
    yield log
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_files_stay_under_the_limit_and_only_the_oldest_are_dropped(
    tmp_path: Path, logger: logging.Logger
) -> None:
    path = tmp_path / "cowapp.log"
    logger.addHandler(RotatingLog(path, max_bytes=200, backups=3))
    records = [f"record {n:03d} " + "x" * 20 for n in range(60)]  # 31 bytes a line
    for record in records:
        logger.info(record)

    files = [path.with_name(f"cowapp.log.{n}") for n in (3, 2, 1)] + [path]
    assert all(f.exists() for f in files)
    assert not path.with_name("cowapp.log.4").exists()
    assert all(f.stat().st_size <= 200 for f in files)
    kept = [line for f in files for line in lines(f)]
    # Oldest first across the files, none missing in between, the newest in cowapp.log.
    assert kept == records[-len(kept) :]
    assert len(kept) == 4 * (200 // 31)


def test_an_existing_log_is_appended_to(tmp_path: Path, logger: logging.Logger) -> None:
    path = tmp_path / "cowapp.log"
    path.write_text("from an earlier start\n", encoding="utf-8")
    logger.addHandler(RotatingLog(path, max_bytes=1000, backups=2))
    logger.info("this start")
    assert lines(path) == ["from an earlier start", "this start"]


def test_a_record_longer_than_the_limit_is_written_alone(
    tmp_path: Path, logger: logging.Logger
) -> None:
    path = tmp_path / "cowapp.log"
    logger.addHandler(RotatingLog(path, max_bytes=50, backups=2))
    logger.info("short")
    logger.info("y" * 80)
    logger.info("after")
    assert lines(path.with_name("cowapp.log.2")) == ["short"]
    assert lines(path.with_name("cowapp.log.1")) == ["y" * 80]
    assert lines(path) == ["after"]


def test_a_failed_rotation_is_reported_and_the_record_still_written(
    tmp_path: Path, logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cowapp.log"
    logger.addHandler(RotatingLog(path, max_bytes=40, backups=1))
    logger.info("first record, about 30 bytes")
    path.with_name("cowapp.log.1").mkdir()  # the backup's name is taken by a folder
    (path.with_name("cowapp.log.1") / "keep").write_text("", encoding="utf-8")
    logger.info("second record, about 30 bytes")  # must not raise into the app
    assert "Logging error" in capsys.readouterr().err
    assert lines(path) == ["first record, about 30 bytes", "second record, about 30 bytes"]


def test_limits_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="positive"):
        RotatingLog(tmp_path / "cowapp.log", max_bytes=0, backups=1)
