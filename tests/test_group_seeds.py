"""Grouping the five seeds through the store: one story, one AFP family, four independent sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.clean import clean_document
from storyline.group import list_stories, regroup, update
from storyline.ingest import RawDocument
from storyline.pipeline import annotate_stored
from storyline.store import GroupingChange, Store, text_hash

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _seed(store: Store, prefix: str) -> str:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    article = clean_document(RawDocument(source=str(path), kind="text", content=path.read_text(encoding="utf-8")))
    store.add_article(article)
    return article.id


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict[str, str]]:
    store = Store(tmp_path_factory.mktemp("group") / "seeds.db")
    ids = {prefix: _seed(store, prefix) for prefix in ("000", "001", "002", "003", "004")}
    annotate_stored(store)
    update(store)
    return store, ids


def test_seeds_form_one_story_of_five(seeded: tuple[Store, dict[str, str]]) -> None:
    store, ids = seeded
    stories = list_stories(store)
    assert len(stories) == 1
    assert {a.id for a in stories[0].articles} == set(ids.values())
    assert stories[0].article_count == 5


def test_seed_family_is_the_afp_copy(seeded: tuple[Store, dict[str, str]]) -> None:
    store, ids = seeded
    (story,) = list_stories(store)
    (family,) = story.families
    assert set(family.members) == {ids["000"], ids["001"]}
    assert family.origin == "AFP"
    (data,) = store.families_with([ids["000"]])
    assert data["id"] == family.id
    # 000 carries no credit of its own: it inherits AFP, marked as inferred; 001 states it.
    assert data["origin_inferred"] == {ids["000"]: True, ids["001"]: False}
    in_family = set(store.family_placements())
    assert not in_family & {ids["002"], ids["003"], ids["004"]}


def test_seeds_count_four_independent_sources(seeded: tuple[Store, dict[str, str]]) -> None:
    store, _ = seeded
    (story,) = list_stories(store)
    assert story.independent_sources == 4
    data = story.to_dict()
    assert data["independent_sources"] == 4 and data["article_count"] == 5
    assert {"id", "source"} <= set(data["articles"][0])


def test_update_is_idempotent_and_regroup_rebuilds_the_same(seeded: tuple[Store, dict[str, str]]) -> None:
    store, _ids = seeded
    before = [s.to_dict() for s in list_stories(store)]
    again = update(store)
    assert again.articles == 0
    assert [s.to_dict() for s in list_stories(store)] == before
    rebuilt = regroup(store)
    assert rebuilt.articles == 5 and rebuilt.stories_total == 1
    assert [s.to_dict() for s in list_stories(store)] == before


def test_later_run_joins_the_existing_story(tmp_path: Path) -> None:
    """Ingest four seeds, group, then add the fifth in a later run: it joins the same story id."""
    with Store(tmp_path / "incremental.db") as store:
        first = {prefix: _seed(store, prefix) for prefix in ("001", "002", "003", "004")}
        annotate_stored(store)
        update(store)
        (story,) = list_stories(store)
        late = _seed(store, "000")
        annotate_stored(store)
        report = update(store)
        assert report.articles == 1 and report.stories_new == 0 and report.stories_grown == 1
        (grown,) = list_stories(store)
        assert grown.id == story.id
        assert {a.id for a in grown.articles} == {*first.values(), late}
        assert grown.independent_sources == 4


def test_a_merged_story_id_answers_as_an_alias(tmp_path: Path) -> None:
    """Saved groupings that merge one stored story into another move its articles and keep its id
    as an alias of the surviving story."""
    with Store(tmp_path / "alias.db") as store:
        ids = [_seed(store, prefix) for prefix in ("001", "002")]
        hashes = {a.id: text_hash(a.text) for a in store.articles()}
        placements = {ids[0]: "st-one", ids[1]: "st-two"}
        store.save_grouping(GroupingChange([], [], placements, {i: hashes[i] for i in ids}, {}))
        store.save_grouping(GroupingChange([], [], {}, {}, {}, merged={"st-two": "st-one"}))
        assert store.story_ids() == {"st-one"}
        assert set(store.story_article_ids("st-one")) == set(ids)
        assert store.resolve_story("st-two") == "st-one"
        assert store.story_aliases() == {"st-two": "st-one"}


def test_a_later_run_reads_only_what_the_new_article_needs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An update after the first never reads every stored article: the new one, its neighbours by
    date and the articles stored last (`update` is incremental; `regroup` alone reads them all)."""
    with Store(tmp_path / "incremental.db") as store:
        for prefix in ("001", "002", "003", "004"):
            _seed(store, prefix)
        annotate_stored(store)
        update(store)
        late = _seed(store, "000")
        annotate_stored(store)

        def every_article(self: Store) -> None:
            raise AssertionError("update() read every stored article")

        monkeypatch.setattr(Store, "articles", every_article)
        monkeypatch.setattr(Store, "story_placements", every_article)
        monkeypatch.setattr(Store, "family_placements", every_article)
        report = update(store)
        assert report.articles == 1
        monkeypatch.undo()
        (story,) = list_stories(store)
        assert late in {a.id for a in story.articles}
        (family,) = story.families
        assert late in family.members and family.origin == "AFP"
