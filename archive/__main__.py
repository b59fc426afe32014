"""``python -m archive``: the same as the ``newsarchive`` command."""

from archive.cli import cli

cli(prog_name="newsarchive")
