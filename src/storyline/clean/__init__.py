"""Cleaning: the article body of a raw document, its subheads, its metadata, and what was removed and why.

from storyline.clean import clean_document
article = clean_document(raw)          # one document: a pure function of it
articles = clean_documents(raws)       # many, each on its own
"""

from storyline.clean.blocks import classify_document
from storyline.clean.document import CleanError, clean_document, clean_documents
from storyline.clean.review import removal_report, removed_share
from storyline.versions import CLEANER_VERSION

__all__ = [
    "CLEANER_VERSION",
    "CleanError",
    "classify_document",
    "clean_document",
    "clean_documents",
    "removal_report",
    "removed_share",
]
