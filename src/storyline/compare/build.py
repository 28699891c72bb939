"""Assemble a story's briefing: articles, copies, entities, quotes, claims, timeline, summary, coverage.

`build_briefing` is pure (records in, `Briefing` out); `brief_story` loads a stored story first.
Families come from the group stage (`storyline.group.Family`) or, for callers without it, as plain
`(member ids, origin)` pairs or lists of ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from storyline.annotate.records import Annotations
from storyline.article import Article
from storyline.compare.claims import link_claims
from storyline.compare.coverage import MATRIX_FACTS, build_coverage
from storyline.compare.dates import PublicationDate, infer_publication
from storyline.compare.entities import EntityIndex, link_entities
from storyline.compare.evidence import Evidence
from storyline.compare.quotes import link_quotes
from storyline.compare.records import (
    ArticleInfo,
    Briefing,
    CopyDifference,
    StoryInfo,
    SyndicationInfo,
)
from storyline.compare.similarity import SentenceSpace
from storyline.compare.summary import build_summary
from storyline.compare.timeline import build_timeline

if TYPE_CHECKING:
    from storyline.store import Store

DEFAULT_SENTENCES = 8


class StoryNotFoundError(LookupError):
    """No stored story matches the id given."""


def _family_parts(family: Any) -> tuple[list[str], str | None, str | None, Any]:
    """(member ids, origin, id, differences) from a group-stage Family, a `(ids, origin)` pair or ids."""
    members = getattr(family, "members", None)
    if members is None:
        members = getattr(family, "articles", None)
    if members is not None:
        return (
            [str(m) for m in members],
            getattr(family, "origin", None),
            getattr(family, "id", None),
            getattr(family, "differences", None),
        )
    if isinstance(family, Mapping):
        ids = family.get("members") or family.get("articles") or []
        return [str(m) for m in ids], family.get("origin"), family.get("id"), family.get("differences")
    if isinstance(family, tuple) and len(family) == 2 and not isinstance(family[0], str):
        return [str(m) for m in family[0]], family[1], None, None
    return [str(m) for m in family], None, None, None


def _occurrences(text: str, words: str, article: str, limit: int = 10) -> list[Evidence]:
    """Where a copy uses a wording (at most `limit` places)."""
    found = re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", text) if words else iter(())
    return [Evidence(article, m.start(), m.end()) for _, m in zip(range(limit), found, strict=False)]


def _differences(raw: Any, texts: Mapping[str, str]) -> list[CopyDifference]:
    """The group stage's `Differences` (or its dict) as briefing records, each located in its article."""
    if raw is None:
        return []
    get = raw.get if isinstance(raw, Mapping) else lambda k, d=None: getattr(raw, k, d)
    out: list[CopyDifference] = []
    for article, paragraphs in (get("unique_paragraphs", {}) or {}).items():
        text = texts.get(article)
        if text is None:
            continue
        for paragraph in paragraphs:
            start = text.find(paragraph)
            evidence = [Evidence(article, start, start + len(paragraph))] if start >= 0 and paragraph else []
            out.append(CopyDifference(article, "only_here", paragraph, None, evidence))
    for swap in get("substitutions", []) or []:
        s = swap if isinstance(swap, Mapping) else vars(swap)
        for word, other, ids in ((s["a"], s["b"], s["articles_a"]), (s["b"], s["a"], s["articles_b"])):
            for article in ids:
                text = texts.get(article)
                if text is None:
                    continue
                out.append(CopyDifference(article, "wording", word, other, _occurrences(text, word, article)))
    return out


def _syndication(
    families: Sequence[Any], articles: Sequence[Article]
) -> tuple[list[SyndicationInfo], dict[str, SyndicationInfo]]:
    """Families restricted to the story's articles (a family needs two members here)."""
    order = {a.id: i for i, a in enumerate(articles)}
    texts = {a.id: a.text for a in articles}
    result: list[SyndicationInfo] = []
    member_of: dict[str, SyndicationInfo] = {}
    for family in families or []:
        ids, origin, fid, raw = _family_parts(family)
        members = sorted(dict.fromkeys(m for m in ids if m in order), key=order.__getitem__)
        if len(members) < 2 or any(m in member_of for m in members):
            continue
        info = SyndicationInfo(
            id=fid or f"fam-{members[0][:12]}",
            articles=members,
            origin=origin,
            differences=[d for d in _differences(raw, texts) if d.article in order],
        )
        result.append(info)
        for m in members:
            member_of[m] = info
    return result, member_of


def _article_info(article: Article, published: PublicationDate | None, family: SyndicationInfo | None) -> ArticleInfo:
    """The article as the briefing lists it: its date stated or inferred (by the cleaner from the page,
    or here from its copies and its own dates), its agency credited or inherited from its copies."""
    date = published.date if published is not None and published.date else article.published
    compare_inferred = published is not None and published.inferred
    inferred = compare_inferred or article.published_inferred
    reason = getattr(published, "reason", None) if compare_inferred else article.published_inference
    agency, agency_inferred = article.agency, False
    if agency is None and family is not None and family.origin:
        agency, agency_inferred = family.origin, True
    return ArticleInfo(
        id=article.id,
        source=article.source,
        url=article.url,
        outlet=article.outlet,
        title=article.title,
        byline=list(article.authors),
        agency=agency,
        agency_inferred=agency_inferred,
        published=date,
        published_inferred=inferred,
        published_inference=reason if inferred else None,
        dateline=article.dateline,
        text=article.text,
        family=family.id if family is not None else None,
    )


def story_id_for(article_ids: Sequence[str]) -> str:
    """A story id derived from its articles (for stories built outside the store)."""
    digest = hashlib.sha256("\n".join(sorted(article_ids)).encode()).hexdigest()
    return f"story-{digest[:12]}"


def _story_title(articles: Sequence[Article], member_of: Mapping[str, SyndicationInfo]) -> str | None:
    """The headline of the most copied text (then the earliest stated one) among real headlines."""
    titled = [a for a in articles if a.title] or []
    if not titled:
        return None
    stated = [a for a in titled if not a.title_derived] or titled

    def rank(a: Article) -> tuple[int, bool, str]:
        family = member_of.get(a.id)
        return (-(len(family.articles) if family else 1), a.published is None, a.published or "")

    return min(stated, key=rank).title


def _aliases(entities: EntityIndex) -> dict[str, str]:
    """Every spelling -> the story-wide name (for the sentence space: `Kiev` and `Kyiv` meet)."""
    return {alias: record.name for record in entities.records for alias in record.aliases}


def build_briefing(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotations],
    families: Sequence[Any] = (),
    story_id: str | None = None,
    sentences: int = DEFAULT_SENTENCES,
) -> Briefing:
    """The briefing of one story: every article, its copies, entities, quotes, claims, timeline,
    summary (`sentences` long) and coverage, each item with evidence spans in the articles' text.

    `annotations` maps article id -> `Annotations`; an article without annotations contributes its
    metadata only. `families` are the group stage's `Family` records (or `(ids, origin)` pairs).
    """
    articles = list(articles)
    ann = {a.id: annotations.get(a.id) or Annotations(version="none", published=a.published) for a in articles}
    syndication, member_of = _syndication(families, articles)
    groups = [f.articles for f in syndication]
    published = infer_publication(articles, ann, groups)
    entities = link_entities(articles, ann)
    aliases = _aliases(entities)
    space = SentenceSpace.build(articles, ann, groups, aliases)
    claims = link_claims(articles, ann, entities, published=published)
    # One ranking of the story's sentences for the summary and the coverage matrix (its first rows are
    # the summary): the two cite the same articles for the same sentence.
    facts = build_summary(
        articles,
        ann,
        groups,
        sentences=max(sentences, MATRIX_FACTS),
        aliases=aliases,
        space=space,
        claims=claims,
        published=published,
    )
    coverage = build_coverage(articles, ann, groups, aliases, space=space, summary=facts)
    infos = [_article_info(a, published.get(a.id), member_of.get(a.id)) for a in articles]
    # The story's span is that of the dates stored (stated, or inferred by the corpus step), as
    # `storyline stories` shows it; dates inferred here for one briefing are shown per article.
    dates = sorted(a.published[:10] for a in articles if a.published)
    independent = len({member_of[a.id].id if a.id in member_of else a.id for a in articles})
    return Briefing(
        story=StoryInfo(
            id=story_id or story_id_for([a.id for a in articles]),
            title=_story_title(articles, member_of),
            first_published=dates[0] if dates else None,
            last_published=dates[-1] if dates else None,
        ),
        articles=infos,
        syndication=syndication,
        independent_sources=independent,
        entities=entities.records,
        quotes=link_quotes(articles, ann, entities),
        claims=claims,
        timeline=build_timeline(articles, ann, groups, published=published, space=space),
        summary=facts[:sentences],
        coverage=coverage.articles,
        coverage_matrix=coverage.matrix,
    )


# --- loading a stored story --------------------------------------------------------------------


def brief_story(store: Store, story_id: str, sentences: int = DEFAULT_SENTENCES) -> Briefing:
    """The briefing of a stored story (`story_id` or a unique prefix of it)."""
    try:
        full_id = store.resolve_story(story_id)
    except LookupError as exc:
        raise StoryNotFoundError(str(exc.args[0])) from exc
    articles = [a for a in (store.article(i) for i in store.story_article_ids(full_id)) if a is not None]
    annotations = {a.id: ann for a in articles if (ann := store.load_annotations(a.id)) is not None}
    families = store.families_with([a.id for a in articles])
    return build_briefing(articles, annotations, families, story_id=full_id, sentences=sentences)
