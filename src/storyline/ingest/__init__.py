"""Readers: text files, HTML files (also gzipped), JSONL, and folders of these."""

from storyline.ingest.readers import READERS, iter_files, read_file, read_paths
from storyline.ingest.record import RawDocument, ReadFailure

__all__ = ["READERS", "RawDocument", "ReadFailure", "iter_files", "read_file", "read_paths"]
