"""The compare stage: one story's articles in, a `Briefing` out.

`build_briefing(articles, annotations, families)` is pure; `brief_story(store, story_id)` loads a
stored story and calls it. The records (`Briefing`, `EntityRecord`, `QuoteRecord`, `Claim`, ...) live
in `storyline.compare.records`; `Briefing.to_dict()` is the `storyline.briefing/1` JSON document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storyline.compare.evidence import Evidence
from storyline.compare.records import SCHEMA, Briefing

if TYPE_CHECKING:
    from storyline.compare.build import brief_story, build_briefing

__all__ = ["SCHEMA", "Briefing", "Evidence", "brief_story", "build_briefing"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: build.py imports every compare module, and with them numpy, SciPy and
    # scikit-learn (the sentence space), which take a second; the records alone should not pay for it.
    if name in ("build_briefing", "brief_story"):
        from storyline.compare import build

        return getattr(build, name)
    raise AttributeError(f"module 'storyline.compare' has no attribute {name!r}")
