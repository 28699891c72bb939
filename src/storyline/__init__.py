"""storyline: turn raw news articles from many outlets into stories and auditable briefings."""

from storyline.article import Article
from storyline.pipeline import IngestReport, ingest
from storyline.store import Store

__all__ = ["Article", "IngestReport", "Store", "ingest"]
__version__ = "0.1.0"
