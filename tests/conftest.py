"""Shared fixtures: where the bundled example and the third-party data live."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import storyline.annotate
from storyline.annotate import Annotations, annotate
from storyline.article import Article
from storyline.clean import CleanError, clean_document, clean_documents
from storyline.compare import Briefing, build_briefing
from storyline.ingest import read_paths
from storyline.ingest.record import RawDocument

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def examples() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"third-party data not found at {SHARED_DATA} (CI has ../shared beside the clone)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def pages(shared_data: Path) -> dict[str, dict[str, Any]]:
    """The real HTML pages' expectations by page name, each with the `path` of its gzipped page."""
    path = shared_data / "html"
    if not (path / "expectations.json").is_file():
        pytest.skip(f"real HTML pages not found at {path}")
    items = json.loads((path / "expectations.json").read_text(encoding="utf-8"))
    return {Path(item["file"]).name.split(".")[0]: {**item, "path": path / item["file"]} for item in items}


DEV2_ARTICLES = SHARED_DATA / "dev2" / "articles.jsonl"


@cache
def dev2_tune_articles() -> dict[str, Article]:
    """The tune articles of dev2 (`a-`, `b-`), cleaned as `storyline ingest` cleans them, by gold id (matched
    by URL); read and cleaned once per test session. Callers skip first when `DEV2_ARTICLES` is absent."""
    rows = [json.loads(line) for line in DEV2_ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_url = {r["url"]: r["id"] for r in rows if r["id"].startswith(("a-", "b-"))}
    raws = [item for item in read_paths([DEV2_ARTICLES]) if isinstance(item, RawDocument)]
    cleaned = [a for a in clean_documents(raws) if not isinstance(a, CleanError)]
    return {by_url[a.url]: a for a in cleaned if a.url in by_url}


@cache
def dev2_tune_annotations(gid: str) -> Annotations:
    """The annotations of the dev2 tune article `gid` (see `dev2_tune_articles`), made once."""
    article = dev2_tune_articles()[gid]
    return annotate(article.text, article.published)


def dev2_tune_briefing(ids: Iterable[str]) -> tuple[Briefing, dict[str, str]]:
    """The briefing of the dev2 tune articles `ids` as one story, and each member's article id -> gold id;
    skips when the dev2 corpus is absent."""
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES} (CI has ../shared beside the clone)")
    ids = list(ids)
    members = [dev2_tune_articles()[i] for i in ids]
    briefing = build_briefing(members, {a.id: dev2_tune_annotations(i) for i, a in zip(ids, members, strict=True)}, [])
    return briefing, {a.id: i for i, a in zip(ids, members, strict=True)}


def seed_path(prefix: str) -> Path:
    """The bundled seed whose file name starts with `prefix` (e.g. "001")."""
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    return path


@dataclass(frozen=True)
class SeedStory:
    """The five seeds, each cleaned on its own and annotated, with their syndication families."""

    articles: list[Article]  # in file order, 000 to 004
    annotations: dict[str, Annotations]  # by article id
    ids: dict[str, str]  # file prefix ("000") -> article id
    families: list[list[str]]  # member ids


@pytest.fixture(scope="session")
def seed_story() -> SeedStory:
    from storyline.group import find_families

    paths = sorted(EXAMPLES.glob("*.txt"))
    assert len(paths) == 5, f"expected the five seeds in {EXAMPLES}"
    articles = [
        clean_document(RawDocument(source=str(p), kind="text", content=p.read_text(encoding="utf-8"))) for p in paths
    ]
    return SeedStory(
        articles=articles,
        annotations={a.id: annotate(a.text, a.published) for a in articles},
        ids={p.name[:3]: a.id for p, a in zip(paths, articles, strict=True)},
        families=[list(f.members) for f in find_families(articles)],
    )


def store_snapshot(store: Any, briefings: bool = True) -> dict[str, Any]:
    """Everything an ingest leaves in a store, comparable across runs: articles with their
    annotations, stories by their members (story ids follow arrival order by design) with titles,
    dates and (optionally) briefings, and syndication families."""
    from storyline.compare import brief_story
    from storyline.group import list_stories

    articles = {}
    for article in store.articles():
        stored = store.annotations(article.id)
        articles[article.id] = (article.to_dict(), stored["data"] if stored else None)
    stories = []
    summaries = list_stories(store)
    for story in summaries:
        members = tuple(sorted(a.id for a in story.articles))
        briefing = brief_story(store, story.id).to_dict() if briefings else {"story": {}}
        briefing["story"].pop("id", None)
        stories.append((members, story.title, story.first_published, story.last_published, briefing))
    families = sorted(tuple(sorted(f.members)) for s in summaries for f in s.families)
    return {"articles": articles, "stories": sorted(stories, key=lambda s: s[0]), "families": families}


def fail_annotation_on(monkeypatch: pytest.MonkeyPatch, markers: list[str], message: str = "injected") -> None:
    """Make the annotator raise on every text containing one of `markers` (a poison article), in
    `annotate` and in the batched `annotate_many` alike; other texts are annotated for real.
    `monkeypatch.undo()` (or the test's end) restores the real annotator."""


    real_annotate = storyline.annotate.annotate

    def failing(text: str, published: str | None) -> Annotations:
        if any(marker in text for marker in markers):
            raise IndexError(message)
        return real_annotate(text, published)

    def many(items: Iterable[tuple[str, str | None]], jobs: int = 1) -> Iterator[Annotations]:
        for text, published in items:
            yield failing(text, published)

    monkeypatch.setattr(storyline.annotate, "annotate", failing)
    monkeypatch.setattr(storyline.annotate, "annotate_many", many)


@dataclass(frozen=True)
class SeedDb:
    """A database made from the five seeds by a real ingest, and its one story."""

    path: Path
    story: str
    articles: list[str]  # in story order


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> SeedDb:
    """The seeds ingested (cleaned, annotated, grouped) into a database. Read it, never write it: copy
    it first (`shutil.copy`) for a test that ingests more."""
    from storyline.group import list_stories
    from storyline.pipeline import ingest
    from storyline.store import Store

    path = tmp_path_factory.mktemp("seed-db") / "seeds.db"
    with Store(path) as store:
        report = ingest([EXAMPLES], store)
        assert report.ok and len(report.new) == 5
        (story,) = list_stories(store)
        ids = store.story_article_ids(story.id)
    return SeedDb(path, story.id, ids)
