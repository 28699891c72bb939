"""Why these articles are one story: what each article shares with the others of its story.

Grouping joins articles on their content terms, the entities they name, the days they are about and
the figures they state (`storyline.group.features`). The clusterer keeps no per-pair explanation, so
this recomputes the cheap part from the briefing alone: the grouper's own terms of each article's
title and text (`extract_features` without annotations: the same keys, the same weights), and the
briefing's entities, timeline dates and claims, each kept when another article of the story has it too.

    why = why_one_story(BriefingView.of(briefing))
    why["core"]        # the terms most of the story's articles share
    why["articles"]    # per article: shared terms, entities, dates, figures, each with how many others
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from storyline.article import Article
from storyline.group.features import ENTITY_PREFIX, extract_features
from storyline.present.view import BriefingView, timeline_date, value_text

#: Items of each kind shown per article, the most shared first.
PER_ARTICLE = 8
#: Terms shown for the story as a whole.
CORE = 12


def _terms(view: BriefingView) -> dict[str, dict[str, float]]:
    """Article id -> the grouper's plain term keys (no entity keys) with their weights."""
    out: dict[str, dict[str, float]] = {}
    for a in view.articles:
        article = Article(
            id=str(a.get("id")), source=str(a.get("source") or ""), text=str(a.get("text") or ""),
            title=a.get("title"), published=a.get("published"),
        )  # fmt: skip
        keys = extract_features(article).keys
        # `3,500~troop` is a figure with what it counts: listed with the figures, not the terms.
        out[article.id] = {k: w for k, w in keys.items() if not k.startswith(ENTITY_PREFIX) and "~" not in k}
    return out


def _shared(have: dict[str, set[str]], article: str, limit: int = PER_ARTICLE) -> list[dict[str, Any]]:
    """The items `article` has that other articles have too, most shared first."""
    found = [(item, len(ids - {article})) for item, ids in have.items() if article in ids and len(ids) > 1]
    found.sort(key=lambda r: (-r[1], r[0]))
    return [{"text": item, "others": others} for item, others in found[:limit]]


def why_one_story(view: BriefingView) -> dict[str, Any]:
    """What joins the story's articles: `core` terms (with how many articles use each) and, per
    article, the `terms`, `entities`, `dates` and `figures` it shares with at least one other."""
    ids = [str(a.get("id")) for a in view.articles]
    terms = _terms(view)
    term_articles: dict[str, set[str]] = {}
    for aid, keys in terms.items():
        for key in keys:
            term_articles.setdefault(key, set()).add(aid)
    entities: dict[str, set[str]] = {}
    for e in view.section("entities"):
        entities.setdefault(str(e.get("name")), set()).update(str(x) for x in e.get("articles") or [])
    dates: dict[str, set[str]] = {}
    for entry in view.section("timeline"):
        dates.setdefault(timeline_date(entry), set()).update(str(x) for x in entry.get("articles") or [])
    # A figure joins articles when they state one about the same quantity (each in its own words).
    figures: dict[str, list[dict[str, Any]]] = {}
    for claim in view.section("claims"):
        values = claim.get("values") or []
        carriers = {str(v.get("article")) for v in values}
        for v in values:
            aid = str(v.get("article"))
            if len(carriers - {aid}) and len(figures.setdefault(aid, [])) < 4:
                figures[aid].append({"text": f"{claim.get('about')}: {value_text(v)}", "others": len(carriers) - 1})
    per_article: list[dict[str, Any]] = []
    for aid in ids:
        weights = terms.get(aid, {})
        found = [(k, len(term_articles[k]) - 1) for k in weights if len(term_articles.get(k, ())) > 1]
        # Most shared first, then the ones weighing most in this article (headline and lead).
        found.sort(key=lambda r: (-r[1], -weights[r[0]], r[0]))
        shared_terms = [{"text": k, "others": n} for k, n in found]
        shown: dict[str, Any] = {
            "article": aid,
            "terms": shared_terms[:PER_ARTICLE],
            "entities": _shared(entities, aid),
            "dates": _shared(dates, aid),
            "figures": sorted(figures.get(aid, []), key=lambda r: -int(r["others"])),
        }
        per_article.append(shown)
    counts = Counter({k: len(v) for k, v in term_articles.items() if len(v) > 1})
    core = [{"text": k, "articles": n} for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:CORE]]
    return {"core": core, "articles": per_article}
