"""Cleaning: the article body of a raw document, its subheads, its metadata, and what was removed and why.

from storyline.clean import clean_document
article = clean_document(raw)          # one document, on its own
articles = clean_documents(raws)       # a batch: also uses repetition across an outlet's pages
"""

from storyline.clean.blocks import CleanContext, classify_document
from storyline.clean.document import CleanError, clean_document, clean_documents
from storyline.clean.review import removal_report, removed_share
from storyline.versions import CLEANER_VERSION

__all__ = [
    "CLEANER_VERSION",
    "CleanContext",
    "CleanError",
    "classify_document",
    "clean_document",
    "clean_documents",
    "removal_report",
    "removed_share",
]
