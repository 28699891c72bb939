"""Scoring a grouping against gold labels: B-cubed for stories, pairwise for families."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from storyline.text import MONTH_NAME

# A date in a URL: year, month (number or name) and optional day as path segments, or glued in a slug.
_URL_DATES = (
    re.compile(rf"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2]|{MONTH_NAME})(?:/\d{{1,2}})?(?=/|$)", re.IGNORECASE),
    re.compile(r"(?<![0-9])(?:19|20)\d\d[-_/]?[01]\d[-_/]?[0-3]\d(?![0-9])"),
)


def strip_url_dates(url: str) -> str:
    """The URL without the dates in its path (`/2022/06/09/slug` -> `/slug`, `/20240102-15/` ->
    `/-15/`): a corpus as from outlets whose URLs carry no date, for robustness checks."""
    for pattern in _URL_DATES:
        url = pattern.sub("", url)
    return url


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> Scores:
    """B-cubed precision and recall of a clustering (`item -> cluster`) against gold (`item -> class`),
    over the items both know."""
    items = [i for i in predicted if i in gold]
    if not items:
        return Scores(0.0, 0.0)
    by_cluster: dict[str, set[str]] = {}
    by_class: dict[str, set[str]] = {}
    for item in items:
        by_cluster.setdefault(predicted[item], set()).add(item)
        by_class.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in items:
        cluster, klass = by_cluster[predicted[item]], by_class[gold[item]]
        both = len(cluster & klass)
        precision += both / len(cluster)
        recall += both / len(klass)
    return Scores(precision / len(items), recall / len(items))


def pairs(groups: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    """Every unordered pair of items that share a group."""
    return {frozenset(p) for group in groups for p in itertools.combinations(sorted(set(group)), 2)}


def pairwise(predicted: Iterable[Iterable[str]], gold: Iterable[Iterable[str]]) -> Scores:
    """Pairwise precision and recall of groups (e.g. syndication families) against gold groups."""
    found, expected = pairs(predicted), pairs(gold)
    hit = len(found & expected)
    return Scores(hit / len(found) if found else 1.0, hit / len(expected) if expected else 1.0)
