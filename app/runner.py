"""Run crawls as child processes, and run them on a schedule.

Each crawl is ``python -m newsarchive.crawler.run`` in a child process: it gets a fresh
Twisted reactor, and whatever happens to it (a crash, SIGKILL) the caller
lives on. Its log is relayed, filtered to the lines a person wants to watch.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsarchive.archive import paths

#: log lines worth relaying: progress, problems and the end of the crawl
SHOWN = (" article ", "not modified", " gone ", "WARNING", "ERROR", "Error:", "Traceback",
         "Closing spider", "Crawled ")


@dataclass
class CrawlJob:
    """What to crawl and where to keep it. Paths are made absolute where the user stands,
    before the child process (which runs elsewhere) sees them."""

    sources_path: str
    db_path: str
    names: Sequence[str] = ()
    allow_private: bool = False
    overrides: Sequence[str] = ()
    redis_url: str | None = None

    def __post_init__(self) -> None:
        self.sources_path = os.path.abspath(self.sources_path)
        self.db_path = os.path.abspath(self.db_path)

    def check(self) -> None:
        """What the child would fail on, said here in one line before it starts: a bad
        ``--set`` (:func:`~newsarchive.crawler.overrides.parse_overrides`), and an
        archive that cannot be used (not an archive, newer, read-only): opening it makes
        it too, as the crawl would.

        :raises ArchiveError: naming the setting or the file
        """
        from newsarchive.archive.guard import check_warc_folder
        from newsarchive.archive.sources import SourcesError, load_sources
        from newsarchive.crawler.overrides import parse_overrides

        overrides = parse_overrides(self.overrides)
        known = {source.name for source in load_sources(self.sources_path, allow_private=self.allow_private)}
        unknown = sorted(set(self.names) - known)
        if unknown:
            raise SourcesError(f"{self.sources_path}: no source named {', '.join(map(repr, unknown))}")
        if not self.redis_url:
            from newsarchive.archive.store import Store

            if overrides.get("NEWSARCHIVE_WARC_DIR"):
                check_warc_folder(overrides["NEWSARCHIVE_WARC_DIR"], self.db_path)
            Store(self.db_path).close()

    def command(self) -> list[str]:
        """The child process's command line."""
        # absolute: the child runs in the checkout, and the user's relative paths mean where they stand
        command = [sys.executable, "-m", "newsarchive.crawler.run", "--sources", os.path.abspath(self.sources_path),
                   "--db", os.path.abspath(self.db_path)]
        for name in self.names:
            command += ["--source", name]
        if self.allow_private:
            command.append("--allow-private")
        for override in self.overrides:
            name, sep, value = override.partition("=")
            if name.strip() == "NEWSARCHIVE_WARC_DIR" and sep and value.strip():
                override = f"{name.strip()}={os.path.abspath(value.strip())}"
            command += ["--set", override]
        if self.redis_url:
            command += ["--redis", self.redis_url]
        return command


@dataclass
class CrawlProcess:
    """One running crawl; :meth:`terminate` asks it to stop gracefully."""

    job: CrawlJob
    echo: Callable[[str], None]
    errors: list[str] = field(default_factory=list)
    _child: subprocess.Popen[str] | None = None

    def run(self) -> int:
        """Run the crawl to its end, relaying its log; returns its exit code."""
        self.start()
        return self.relay()

    def start(self) -> None:
        """Start the child process and return at once (its log waits in a pipe for :meth:`relay`)."""
        self._child = subprocess.Popen(
            self.job.command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=str(paths.PROJECT_ROOT), env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    def relay(self) -> int:
        """Relay the started crawl's log until it ends; returns its exit code."""
        assert self._child is not None and self._child.stdout is not None, "start() first"
        for line in self._child.stdout:
            if line.startswith("Error:"):
                self.errors.append(line[len("Error:"):].strip())
            if any(mark in line for mark in SHOWN) and "DEBUG" not in line:
                self.echo(line.rstrip())
        return self._child.wait()

    def terminate(self) -> None:
        """SIGTERM: Scrapy finishes what is in flight and closes cleanly."""
        if self._child is not None and self._child.poll() is None:
            self._child.send_signal(signal.SIGTERM)


def run_schedule(every: float, crawl_once: Callable[[], int], stop: threading.Event,
                 echo: Callable[[str], None], max_runs: int | None = None) -> int:
    """Call ``crawl_once`` every ``every`` seconds until ``stop`` is set.

    A run that takes longer than the interval is followed at once by the
    next; runs never overlap. Returns the number of runs made.
    """
    runs = 0
    while not stop.is_set():
        started = time.monotonic()
        code = crawl_once()
        runs += 1
        echo(f"run {runs} ended with exit code {code} after {time.monotonic() - started:.1f}s")
        if max_runs is not None and runs >= max_runs:
            break
        stop.wait(max(0.0, every - (time.monotonic() - started)))
    return runs
