"""Every command is documented: its help ends with an example, and the README names it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.app.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def help_text(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def ends_with_example(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # Click prints the options after the docstring; the docstring's last lines are the example.
    body = lines[: lines.index("Options:")]
    return len(body) >= 2 and body[-2] == "Example:" and body[-1].startswith("newsarchive")


def test_group_help_ends_with_example():
    assert ends_with_example(help_text())


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_command_help_ends_with_example(command):
    assert ends_with_example(help_text(command)), f"{command}: help must end with an example"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_command_in_readme(command):
    assert f"newsarchive {command}" in README, f"README.md does not document 'newsarchive {command}'"
