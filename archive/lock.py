"""One crawl at a time per archive: an advisory file lock beside it.

The lock is an ``flock`` on ``<archive>.crawl.lock`` (beside the archive's
real file, symbolic links followed), so the operating system
releases it when its holder exits, however it exits (SIGKILL included): a
dead crawl never leaves the archive locked. The file records who holds it,
so a second start can say so.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from pathlib import Path
from typing import IO, Any

from newsarchive.archive.guard import resolved
from newsarchive.archive.store import utcnow


class LockHeld(RuntimeError):
    """Another process holds the lock; the message says which."""


class ArchiveLock:
    """``with ArchiveLock(db_path, "crawl"):`` — held for the block, or :class:`LockHeld`.

    :param db_path: the archive the lock protects
    :param purpose: what the holder does (``crawl``, ``schedule``); one lock file each
    """

    def __init__(self, db_path: str | Path, purpose: str = "crawl") -> None:
        # beside the archive itself: the same archive reached through a symbolic link
        # (of the file or of a folder above it) or a relative path takes the same lock
        real = resolved(db_path)
        self.path = real.with_name(f"{real.name}.{purpose}.lock")
        self.purpose = purpose
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock now or raise :class:`LockHeld`."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self.holder()
            handle.close()
            raise LockHeld(self._describe(holder)) from None
        handle.seek(0)
        handle.truncate()
        json.dump({"pid": os.getpid(), "since": utcnow(), "command": " ".join(sys.argv)}, handle)
        handle.flush()
        self._file = handle

    def release(self) -> None:
        """Let the lock go (closing the file releases the flock)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def holder(self) -> dict[str, Any]:
        """Who holds (or last held) the lock, as recorded in the file."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}

    def _describe(self, holder: dict[str, Any]) -> str:
        who = f"process {holder.get('pid', '?')} since {holder.get('since', '?')}"
        if holder.get("command"):
            who += f" ({holder['command']})"
        return f"another {self.purpose} is running on this archive: {who}; lock file {self.path}"

    def __enter__(self) -> ArchiveLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
