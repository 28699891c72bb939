"""Whether an article belongs to a candidate story: a logistic model over general features.

Trained on labelled stories (`benchmarks/train_stories.py`, folds grouped by event, coefficients in
`story_model.json`). The features describe how the article fits the story's *core* rather than one
member: the cosine to the story's summed vector (which grows with the story's size, so a large story
of a look-alike event outbids a small one of the right event) and the mean cosine to its members (the
summed vector is a sum of unit member vectors, so `dot / size` is that mean, and it does not grow with
size); how far apart in days they are and how long the story would then run; for an undated article,
how the dates and day names it states fit the story's days; how many of the things both count (basis
points, a magnitude, a score) they count alike or differently; and how the story ranks against the
best candidate, and how close a candidate of other days comes (an article that fits two occurrences
about equally well belongs to neither with confidence).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("story_model.json")

FEATURES = (
    "centroid",
    "members",
    "log_size",
    "gap",
    "span",
    "untimed",
    "calendar",
    "figures_agree",
    "figures_differ",
    "relative",
    "members_relative",
    "rival",
)

# The direction each input may push (+1 only up, -1 only down, 0 either): what the evidence means is
# known even where a small training set cannot show it (figures counted differently speak against one
# event, never for it), so the fit is bounded to those signs.
SIGNS = (1, 1, 0, -1, -1, 0, 1, 1, -1, 1, 1, -1)


@dataclass(frozen=True)
class Fit:
    """The raw evidence about one (article, story) pair, before the ranking among candidates."""

    centroid: float
    members: float
    size: int
    gap: float  # days apart / the time window; 0 when either side is undated
    span: float  # the story's days with the article / the longest event span; 0 when undated
    untimed: bool  # no time comparison possible (article or story undated)
    calendar: float  # `calendar_fit` for an undated article, else 0
    agree: int
    differ: int


def vector(fit: Fit, best_centroid: float, best_members: float, rival: float) -> list[float]:
    """The model's inputs for a pair, given the best centroid and member cosines among the candidates
    and the best member cosine of a candidate whose days do not overlap this one's."""
    return [
        fit.centroid,
        fit.members,
        math.log(fit.size),
        fit.gap,
        fit.span,
        1.0 if fit.untimed else 0.0,
        fit.calendar,
        float(min(fit.agree, 2)),
        float(min(fit.differ, 2)),
        fit.centroid / best_centroid if best_centroid > 0 else 0.0,
        fit.members / best_members if best_members > 0 else 0.0,
        rival / best_members if best_members > 0 else 0.0,
    ]


@dataclass(frozen=True)
class StoryModel:
    """Standardised logistic-regression coefficients, in `FEATURES` order."""

    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float = 0.5

    def probability(self, inputs: list[float]) -> float:
        z = self.intercept
        for x, mean, scale, weight in zip(inputs, self.means, self.scales, self.weights, strict=True):
            z += weight * (x - mean) / scale
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "means": list(self.means),
            "scales": list(self.scales),
            "weights": list(self.weights),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> StoryModel:
        if list(data["features"]) != list(FEATURES):  # type: ignore[call-overload]
            raise ValueError("story model: features differ from scorer.FEATURES (retrain it)")
        return cls(
            means=tuple(data["means"]),  # type: ignore[arg-type]
            scales=tuple(data["scales"]),  # type: ignore[arg-type]
            weights=tuple(data["weights"]),  # type: ignore[arg-type]
            intercept=float(data["intercept"]),  # type: ignore[arg-type]
            threshold=float(data.get("threshold", 0.5)),  # type: ignore[arg-type]
        )


_MODEL: StoryModel | None = None


def load_model(path: Path = MODEL_PATH) -> StoryModel:
    """The shipped model (read once)."""
    global _MODEL
    if path != MODEL_PATH:
        return StoryModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    if _MODEL is None:
        _MODEL = StoryModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    return _MODEL
