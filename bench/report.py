"""Write one benchmark's figures into its own section of ``BENCHMARKS.md``.

Each bench script owns a section fenced by ``<!-- bench:NAME -->`` and
``<!-- /bench:NAME -->``; re-running a script replaces its section and leaves
the others alone, so the file always holds the latest run of every benchmark.
"""

from __future__ import annotations

import platform
import re
import shlex
import sys
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
HEADER = (
    "# Benchmarks\n\n"
    "Figures written by the scripts in `bench/`; each section names the command\n"
    "that produced it. Machines here are shared and noisy: compare the ratios\n"
    "measured within one run, not absolute figures across runs.\n"
)


def command_line() -> str:
    """The command that is running now, as a user would type it."""
    return "python -m " + ".".join(Path(sys.argv[0]).with_suffix("").parts[-2:]) + (
        " " + shlex.join(sys.argv[1:]) if sys.argv[1:] else ""
    )


def write_section(name: str, title: str, body: str, path: Path = BENCHMARKS) -> None:
    """Replace (or append) the section called ``name`` in ``BENCHMARKS.md``.

    :param name: short identifier of the benchmark, e.g. ``extraction``
    :param title: the section heading
    :param body: markdown with the figures
    :param path: the file to write
    """
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    section = (
        f"<!-- bench:{name} -->\n## {title}\n\n"
        f"Command: `{command_line()}`  \n"
        f"Run: {stamp} on {platform.machine()}, Python {platform.python_version()}\n\n"
        f"{body.rstrip()}\n<!-- /bench:{name} -->\n"
    )
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(
        rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->\n?", re.S
    )
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")
