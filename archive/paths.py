"""Where the project's files are, by default."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA = PROJECT_ROOT / "data"
DEFAULT_DB = DATA / "archive.db"
DEFAULT_SOURCES = DATA / "sources.yml"
DEMO_SITE = DATA / "demo-site"
DEMO_SOURCES = DATA / "demo-sources.yml"
METADATA = PROJECT_ROOT / "metadata.yml"
