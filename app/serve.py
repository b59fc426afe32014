"""Run Datasette's command line with one fix: ``python -m newsarchive.app.serve serve ...``.

Datasette 0.65 prints every handled error (404s included) with ``rich`` when
``rich`` is importable, and current ``rich`` refuses to print a traceback
outside an ``except`` block, so every 404 became a 500. spaCy brings ``rich``
into our environment, so we switch that printing off; errors still reach
Datasette's own handler and log.
"""

from datasette.cli import cli  # first: it registers the default plugins, handle_exception among them
import datasette.handle_exception  # noqa: E402  (only after the registration above)

datasette.handle_exception.rich = None

if __name__ == "__main__":
    cli(prog_name="datasette")
