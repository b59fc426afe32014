"""``python -m newsarchive.app``: the same as the ``newsarchive`` command."""

from newsarchive.app.cli import cli

cli(prog_name="newsarchive")
