"""The versions of what storyline stores, in one place.

Bump one whenever the same input can give another result: stored articles are then cleaned again on
re-ingest (`CLEANER_VERSION`), or their annotations redone (`ANNOTATOR_VERSION`), instead of skipped.
"""

CLEANER_VERSION = "3"
ANNOTATOR_VERSION = "2"
