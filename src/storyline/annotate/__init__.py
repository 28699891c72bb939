"""The per-article NLP pass: sentences, entities, quotes with speakers, figures, resolved dates.

`annotate(text, published)` is pure (text and metadata in, records out); `annotate_many` batches it
and spreads it over processes. spaCy is imported only when the first article is annotated.
"""

from __future__ import annotations

from storyline.annotate.parallel import annotate_many
from storyline.annotate.pipeline import ModelMissingError, annotate
from storyline.annotate.records import (
    Annotations,
    Entity,
    Figure,
    Mention,
    Quote,
    Sentence,
    TimeExpression,
)
from storyline.versions import ANNOTATOR_VERSION

__all__ = [
    "ANNOTATOR_VERSION",
    "Annotations",
    "Entity",
    "Figure",
    "Mention",
    "ModelMissingError",
    "Quote",
    "Sentence",
    "TimeExpression",
    "annotate",
    "annotate_many",
]
