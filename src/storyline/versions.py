"""The versions of the stages whose stored output is redone when they change, in one place.

Each stage re-exports its own (`storyline.clean.CLEANER_VERSION`, `storyline.annotate.ANNOTATOR_VERSION`);
this module imports nothing, so any module can read them without importing the stage.
"""

from __future__ import annotations

#: Bump whenever cleaning the same input can give another result: re-ingesting then refreshes stored
#: articles (and so their annotations) instead of skipping them.
CLEANER_VERSION = "12"

#: Bump whenever the output for the same text can change (stored annotations are then redone).
ANNOTATOR_VERSION = "13"
