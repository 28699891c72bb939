"""Readers: text files, HTML files (also gzipped), JSONL, and folders of these."""

from storyline.ingest.failures import FailureLog
from storyline.ingest.readers import OUTPUT_MARKER, READERS, is_own_file, iter_files, read_file, read_paths
from storyline.ingest.record import RawDocument, ReadFailure

__all__ = [
    "OUTPUT_MARKER",
    "READERS",
    "FailureLog",
    "RawDocument",
    "ReadFailure",
    "is_own_file",
    "iter_files",
    "read_file",
    "read_paths",
]
