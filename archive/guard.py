"""No command writes onto, into or over an archive: the one guard they all use.

An archive is more than its SQLite file: SQLite keeps ``-wal``, ``-shm`` and
``-journal`` files beside it, the crawl and schedule hold lock files beside
it, and the crawler keeps the raw captures in a WARC folder (``warc/`` beside
it by default). Every command that writes a file the user names (``export
-o``, ``publish``'s folder, a crawl's WARC folder) asks :func:`check_target`
or :func:`check_folder` first, with the archive it reads; both follow
symbolic links, ``..`` and relative paths (resolved where the user stands)
and compare the files themselves (a hard link to the archive is the archive).
"""

from __future__ import annotations

import os
from pathlib import Path

from newsarchive.archive.errors import ArchiveError

#: files SQLite and newsarchive keep beside an archive, by suffix
COMPANION_SUFFIXES = {
    "-wal": "its write-ahead log", "-shm": "its shared-memory index", "-journal": "its rollback journal",
    ".crawl.lock": "its crawl lock", ".schedule.lock": "its schedule lock", ".migrate.lock": "its migration lock",
}


class WouldOverwriteArchive(ArchiveError):
    """A command was about to write onto, into or over an archive."""


def resolved(path: str | Path) -> Path:
    """``path`` made absolute where the user stands, symbolic links followed
    (also for a file that does not exist yet: its folder is resolved)."""
    return Path(os.path.realpath(os.path.abspath(os.fspath(path))))


def warc_dir_for(db_path: str | Path) -> Path:
    """Where an archive's WARC captures live by default: ``warc/`` beside it."""
    return resolved(db_path).parent / "warc"


def archive_files(db_path: str | Path) -> dict[Path, str]:
    """The archive's own files (resolved), each with what it is."""
    db = resolved(db_path)
    files = {db: "the archive"}
    for suffix, what in COMPANION_SUFFIXES.items():
        files[db.with_name(db.name + suffix)] = what
    return files


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def check_target(target: str | Path, db_path: str | Path, warc_dir: str | Path | None = None) -> Path:
    """Refuse to write ``target`` when it is the archive at ``db_path``, one
    of the files beside it, or inside its WARC folder; returns ``target`` resolved.

    :raises WouldOverwriteArchive: naming the target and what it would destroy
    """
    path = resolved(target)
    for own, what in archive_files(db_path).items():
        if path == own or _same_file(path, own):
            raise WouldOverwriteArchive(f"{target}: this is {what} ({resolved(db_path)}); "
                                        "refusing to write over it")
    warc = resolved(warc_dir) if warc_dir is not None else warc_dir_for(db_path)
    if path == warc or warc in path.parents:
        raise WouldOverwriteArchive(f"{target}: this is inside the archive's WARC folder ({warc}); "
                                    "refusing to write there")
    return path


def check_folder(folder: str | Path, db_path: str | Path, names: list[str] | tuple[str, ...] = (),
                 warc_dir: str | Path | None = None) -> Path:
    """Refuse a folder to be written into when it is the archive's WARC folder
    (or inside it), or when any of ``names`` inside it is one of the archive's
    files; returns the folder resolved.

    :param names: the file names the command will write in the folder
    :raises WouldOverwriteArchive: naming what would be destroyed
    """
    out = resolved(folder)
    check_target(out, db_path, warc_dir)
    for name in names:
        check_target(out / name, db_path, warc_dir)
    return out


def check_warc_folder(folder: str | Path, db_path: str | Path) -> Path:
    """Refuse a WARC folder (``NEWSARCHIVE_WARC_DIR``) that is one of the archive's
    own files, or any file that is not a folder; returns it resolved."""
    path = resolved(folder)
    for own, what in archive_files(db_path).items():
        if path == own or _same_file(path, own):
            raise WouldOverwriteArchive(f"{folder}: this is {what}, not a folder for WARC files")
    if path.exists() and not path.is_dir():
        raise ArchiveError(f"{folder}: a file, not a folder for WARC files")
    return path
