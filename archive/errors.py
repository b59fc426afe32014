"""Errors a user can cause and fix, and their one-line messages.

A careless input (a random file given as the archive, a read-only disk, a
folder that cannot be written) must end a command with one line saying what
and where, never a traceback. :class:`ArchiveError` is raised by the library
with that line; :func:`one_line` turns the operating system's and SQLite's
own errors into one.
"""

from __future__ import annotations

import errno
import sqlite3


class ArchiveError(Exception):
    """A problem with what the user gave (a path, a file, a setting); the
    message is one line, fit to show as it is."""


def one_line(exc: BaseException) -> str | None:
    """A one-line message for an error a user can cause, or ``None`` for a bug
    (which should keep its traceback)."""
    if isinstance(exc, ArchiveError):
        return str(exc)
    if isinstance(exc, OSError):
        where = exc.filename or ""
        if exc.filename2:
            where = f"{where} -> {exc.filename2}"
        reason = exc.strerror or str(exc)
        if exc.errno == errno.EROFS:
            reason += " (a read-only file system)"
        return f"{where}: {reason}" if where else reason
    if isinstance(exc, sqlite3.DatabaseError):
        return f"the archive could not be used: {exc}"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text: {exc.reason} at byte {exc.start}"
    return None
