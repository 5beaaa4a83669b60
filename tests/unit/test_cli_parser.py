"""`cowapp.cli.parser.parse_arguments`: a plain start skips building the commands' parsers."""

from __future__ import annotations

import pytest

from cowapp.cli.parser import build_parser, parse_arguments


def test_a_plain_start_parses_to_what_the_full_parser_gives() -> None:
    assert parse_arguments([]) == build_parser().parse_args([])
    assert parse_arguments([]).command is None


@pytest.mark.parametrize(
    "argv",
    [
        ["--demo"],
        ["--demo", "--quit-after", "3"],
        ["--self-test"],
        ["issue", "list", "--limit", "5"],
    ],
)
def test_arguments_go_through_the_full_parser(argv: list[str]) -> None:
    assert parse_arguments(argv) == build_parser().parse_args(argv)


def test_a_command_is_still_refused_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        parse_arguments(["no-such-command"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.startswith("cowapp: error: argument command")
