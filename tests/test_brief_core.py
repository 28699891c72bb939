"""The seeds' briefing: entities, quotes and claims across the five outlets, with evidence everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.annotate import Annotations, annotate
from storyline.annotate.records import Entity, Mention
from storyline.article import Article
from storyline.compare import SCHEMA, Briefing, build_briefing
from storyline.compare.entities import link_entities, skeleton
from storyline.ingest.record import RawDocument

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def seeds(seed_story) -> tuple[list[Article], dict[str, Annotations], dict[str, str]]:
    """The five seeds cleaned and annotated, and article id -> file prefix ("000" ...)."""
    return seed_story.articles, seed_story.annotations, {i: p for p, i in seed_story.ids.items()}


@pytest.fixture(scope="module")
def briefing(seeds: tuple[list[Article], dict[str, Annotations], dict[str, str]]) -> Briefing:
    from storyline.group import find_families

    articles, annotations, _ = seeds
    return build_briefing(articles, annotations, find_families(articles), story_id="seeds")


@pytest.fixture(scope="module")
def num(seeds: tuple[list[Article], dict[str, Annotations], dict[str, str]]) -> dict[str, str]:
    return seeds[2]


def _nums(ids: list[str], num: dict[str, str]) -> set[str]:
    return {num[i] for i in ids}


# --- entities --------------------------------------------------------------------------------------


def test_zelensky_is_one_entity_with_both_transliterations(briefing: Briefing) -> None:
    holding = [e for e in briefing.entities if {"Zelensky", "Zelenskiy"} & set(e.aliases)]
    assert len(holding) == 1, [e.name for e in holding]
    (zelensky,) = holding
    assert zelensky.name == "Volodymyr Zelensky"
    assert zelensky.type == "PERSON"
    assert {"Zelensky", "Zelenskiy"} <= set(zelensky.aliases)
    assert len(zelensky.articles) == 5


def test_kyiv_is_one_place_under_both_spellings(briefing: Briefing) -> None:
    holding = [e for e in briefing.entities if {"Kiev", "Kyiv"} & set(e.aliases)]
    assert len(holding) == 1, [e.name for e in holding]
    (kyiv,) = holding
    assert kyiv.name == "Kyiv"
    assert {"Kiev", "Kyiv"} <= set(kyiv.aliases)
    # spaCy tags the bare name as a person; the text uses it as a place.
    assert kyiv.type in ("GPE", "LOC")


def test_case_and_abbreviation_variants_merge(briefing: Briefing) -> None:
    names = {a: e.name for e in briefing.entities for a in e.aliases}
    assert names["NATO"] == names["Nato"] == "NATO"
    assert names["US"] == names["U.S."] == names["United States"]
    assert names["Donbas"] == names["Donbass"]
    # Crimea is tagged ORG in some articles and GPE in others: one place.
    crimea = [e for e in briefing.entities if e.name == "Crimea"]
    assert len(crimea) == 1 and crimea[0].type == "GPE" and len(crimea[0].articles) == 5


def test_blinken_in_all_five_articles(briefing: Briefing, num: dict[str, str]) -> None:
    blinken = next(e for e in briefing.entities if e.name == "Antony Blinken")
    assert _nums(blinken.articles, num) == {"000", "001", "002", "003", "004"}
    assert "Blinken" in blinken.aliases


def test_people_sharing_a_surname_stay_apart() -> None:
    # Two people named Biden in one story; a bare "Biden" is ambiguous and joins neither.
    text = "Joe Biden met reporters. Hunter Biden was not there. Biden left."
    spans = {"Joe Biden": (0, 9), "Hunter Biden": (25, 37), "Biden": (53, 58)}
    entities = [Entity(name, "PERSON", [Mention(text[s:e], s, e, 0)]) for name, (s, e) in spans.items() if " " in name]
    entities.append(Entity("Biden", "PERSON", [Mention("Biden", 53, 58, 2)]))
    article = Article(id="a", source="test", text=text)
    index = link_entities([article], {"a": Annotations(version="t", entities=entities)})
    names = sorted(r.name for r in index.records)
    assert names == ["Biden", "Hunter Biden", "Joe Biden"]


# --- quotes ----------------------------------------------------------------------------------------


def test_we_stand_strongly_with_you_is_one_quote(briefing: Briefing, num: dict[str, str]) -> None:
    holding = [q for q in briefing.quotes if q.text.casefold().startswith("we stand strongly with you")]
    assert len(holding) == 1, [q.text for q in holding]
    (quote,) = holding
    assert quote.speaker == "Antony Blinken"
    assert {"000", "001", "002", "003"} <= _nums(quote.articles, num)
    kinds = {num[v.article]: v.kind for v in quote.variants}
    # 002 and 003 carry it inside a longer quotation ("I can tell you, Mr. president, that ...").
    assert kinds["000"] == "exact" and kinds["002"] == "embedded" and kinds["003"] == "embedded"
    assert not quote.speaker_conflict


def test_stoltenberg_quote_carried_by_001_and_002(briefing: Briefing, num: dict[str, str]) -> None:
    holding = [q for q in briefing.quotes if q.text.startswith("Overall, there is a significant Russian presence")]
    assert len(holding) == 1
    (quote,) = holding
    assert quote.speaker == "Jens Stoltenberg"
    assert _nums(quote.articles, num) == {"001", "002"}


def test_trimmed_renderings_of_one_remark_meet(briefing: Briefing, num: dict[str, str]) -> None:
    # Zelensky's "Nobody wants these surprises" remark, rendered in full (000), trimmed (001) and
    # shortened differently (003).
    holding = [q for q in briefing.quotes if any("Nobody wants these surprises" in v.text for v in q.variants)]
    assert len(holding) == 1
    assert _nums(holding[0].articles, num) == {"000", "001", "003"}
    assert holding[0].speaker == "Volodymyr Zelensky"


# --- claims ----------------------------------------------------------------------------------------


def _claim_with(briefing: Briefing, text: str):  # type: ignore[no-untyped-def]
    holding = [c for c in briefing.claims if any(text in v.text for v in c.values)]
    assert len(holding) == 1, f"{text!r} in {len(holding)} claims"
    return holding[0]


def test_death_toll_figures_side_by_side(briefing: Briefing, num: dict[str, str]) -> None:
    claim = _claim_with(briefing, "more than 13,000")
    by_article = {num[v.article]: v for v in claim.values}
    assert {a for a, v in by_article.items() if v.text.startswith("more than 13,000")} == {"000", "001", "004"}
    assert by_article["003"].text.startswith("14,000")
    # 003 reports it as Kyiv's figure ("Kiev says ..."), the others in their own voice.
    assert by_article["003"].attribution == "Kyiv"
    assert by_article["000"].attribution is None
    assert any(d.startswith("attributions differ") for d in claim.differences)
    assert any(d.startswith("figures differ") for d in claim.differences)
    assert by_article["003"].qualifier == "exact" and by_article["000"].qualifier == "lower_bound"


def test_crimea_withdrawals_are_compatible(briefing: Briefing, num: dict[str, str]) -> None:
    claim = _claim_with(briefing, "3,000 to 3,500")
    texts = {num[v.article]: v.text for v in claim.values}
    assert texts["000"].startswith("3,000 to 3,500")
    assert texts["002"].startswith("some 3,500")
    assert texts["003"].startswith("about 3,500")
    assert claim.agreement == "compatible"
    assert {v.attribution for v in claim.values} == {"Volodymyr Zelensky"}


def test_troop_buildup_claim(briefing: Briefing, num: dict[str, str]) -> None:
    claim = _claim_with(briefing, "100,000 troops")
    assert _nums(claim.articles, num) == {"000", "001", "002"}
    assert claim.agreement == "compatible"  # 100,000 and some 100,000
    assert claim.noun == "troop"


def test_troop_buildup_claim_when_only_some_copies_state_a_date() -> None:
    # Cleaned as a batch (as `storyline run` does), 002 gets its dateline's year and so resolves "last
    # month" to April 2021, while the undated AFP copy 000 leaves it open until its date is inferred from
    # its sibling: the claim must read both at the inferred date, not split 100,000 troops in two.
    from storyline.clean import clean_documents
    from storyline.group import find_families

    paths = sorted(EXAMPLES.glob("*.txt"))
    articles = clean_documents([RawDocument(source=str(p), kind="text", content=p.read_text("utf-8")) for p in paths])
    assert all(isinstance(a, Article) for a in articles)
    annotations = {a.id: annotate(a.text, a.published) for a in articles}
    num = {a.id: p.name[:3] for a, p in zip(articles, paths, strict=True)}
    briefing = build_briefing(articles, annotations, find_families(articles))
    holding = [c for c in briefing.claims if any("100,000 troops" in v.text for v in c.values)]
    assert len(holding) == 1 and _nums(holding[0].articles, num) == {"000", "001", "002"}


def test_one_article_never_gives_two_values_of_a_claim(briefing: Briefing) -> None:
    # 004: "Around 30 Ukrainian soldiers have been killed ... compared with 50 in all of last year."
    for claim in briefing.claims:
        assert len({v.article for v in claim.values}) == len(claim.values), claim.about


# --- the document ----------------------------------------------------------------------------------


def test_every_evidence_span_points_into_its_article(briefing: Briefing) -> None:
    texts = {a.id: a.text for a in briefing.articles}
    data = briefing.to_dict()
    count = 0

    def walk(node: object) -> None:
        nonlocal count
        if isinstance(node, dict):
            if {"article", "start", "end"} <= set(node) and len(node) == 3:
                text = texts[node["article"]]
                assert 0 <= node["start"] < node["end"] <= len(text), node
                count += 1
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    assert count > 200
    for quote in briefing.quotes:
        for variant in quote.variants:
            span = variant.evidence[0]
            assert variant.text.strip(' ,."') in texts[span.article][span.start : span.end]
    for claim in briefing.claims:
        for value in claim.values:
            span = value.evidence[0]
            assert texts[span.article][span.start : span.end] == value.text


def test_briefing_json_contract(briefing: Briefing) -> None:
    data = json.loads(json.dumps(briefing.to_dict()))
    assert data["schema"] == SCHEMA
    for key in ("story", "articles", "syndication", "independent_sources", "entities", "quotes", "claims"):
        assert key in data
    assert set(data["story"]) >= {"id", "title", "first_published", "last_published"}
    article = data["articles"][0]
    assert set(article) >= {"id", "source", "url", "outlet", "title", "byline", "agency", "published"}
    assert set(article) >= {"published_inferred", "dateline", "text"}
    assert set(data["entities"][0]) >= {"name", "type", "aliases", "articles", "evidence"}
    assert set(data["quotes"][0]) >= {"text", "speaker", "articles", "variants", "evidence"}
    claim = data["claims"][0]
    assert set(claim) >= {"about", "values", "agreement", "evidence"}
    assert set(claim["values"][0]) >= {"value", "qualifier", "article", "evidence"}
    # The two AFP copies count once.
    assert data["independent_sources"] == 4
    (family,) = data["syndication"]
    assert family["origin"] == "AFP" and len(family["articles"]) == 2


def test_a_quote_given_to_different_speakers_is_flagged(
    seeds: tuple[list[Article], dict[str, Annotations], dict[str, str]],
) -> None:
    import copy

    from storyline.compare.quotes import link_quotes

    articles, annotations, num = seeds
    by_num = {n: a for a in articles for k, n in num.items() if k == a.id}
    pair = [by_num["000"], by_num["001"]]
    changed = {a.id: copy.deepcopy(annotations[a.id]) for a in pair}
    # 001 now credits Blinken's words to Zelenskiy (as a careless copy editor might).
    for quote in changed[pair[1].id].quotes:
        if quote.text.startswith("We stand strongly"):
            quote.speaker = "Volodymyr Zelenskiy"
    quotes = link_quotes(pair, changed, link_entities(pair, changed))
    (quote,) = [q for q in quotes if q.text.startswith("We stand strongly")]
    assert quote.speaker_conflict
    assert len(quote.speakers) == 2 and "Antony Blinken" in quote.speakers
    assert any(s.startswith("Volodymyr Zelensk") for s in quote.speakers)
    # Agreeing attributions are not flagged.
    assert not any(q.speaker_conflict for q in quotes if q is not quote)


def test_brief_a_stored_story(tmp_path: Path, briefing: Briefing) -> None:
    from storyline.compare import brief_story
    from storyline.compare.build import StoryNotFoundError
    from storyline.pipeline import ingest
    from storyline.store import Store

    with Store(tmp_path / "seeds.db") as store:
        ingest([EXAMPLES], store)
        (story_id,) = store.story_ids()
        stored = brief_story(store, story_id[:6], sentences=5)
        with pytest.raises(StoryNotFoundError, match="storyline stories"):
            brief_story(store, "no-such-story")
    assert stored.story.id == story_id
    assert {a.id for a in stored.articles} == {a.id for a in briefing.articles}
    assert stored.independent_sources == 4
    assert [f.origin for f in stored.syndication] == ["AFP"]
    assert {e.name for e in stored.entities[:10]} == {e.name for e in briefing.entities[:10]}
    assert len(stored.summary) <= 5


def test_transliterations_share_a_skeleton_and_distinct_names_do_not() -> None:
    from storyline.compare.entities import _first_names_agree, _same_word

    for a, b in [("Zelensky", "Zelenskyy"), ("Zelensky", "Zelenskij"), ("Donbas", "Donbass"), ("Kiev", "Kyiv")]:
        assert skeleton(a) == skeleton(b), (a, b)
    assert _same_word("Zelenskiy", "Zelenskyy") and _same_word("Donbas", "Donbass")
    for a, b in [("Austria", "Australia"), ("Iran", "Iraq"), ("Niger", "Nigeria"), ("Slovakia", "Slovenia")]:
        assert not _same_word(a, b), (a, b)
    assert _first_names_agree("Volodymyr", "Volodimir") and _first_names_agree("J.", "Joe")
    assert not _first_names_agree("Daniel", "Danielle") and not _first_names_agree("Joe", "Hunter")


def test_relatives_with_one_first_name_stay_apart() -> None:
    text = "George W. Bush spoke. George H. W. Bush listened. Martin Luther King Jr. and Martin Luther King III."
    names = ["George W. Bush", "George H. W. Bush", "Martin Luther King Jr.", "Martin Luther King III"]
    entities = []
    for name in names:
        start = text.index(name)
        entities.append(Entity(name, "PERSON", [Mention(name, start, start + len(name), 0)]))
    article = Article(id="a", source="test", text=text)
    index = link_entities([article], {"a": Annotations(version="t", entities=entities)})
    assert len(index.records) == 4


def test_articles_inherit_date_and_agency_from_their_copies(briefing: Briefing, num: dict[str, str]) -> None:
    info = {num[a.id]: a for a in briefing.articles}
    # 000 is the AFP copy without a date or credit; 001 states both.
    assert info["000"].published == "2021-05-06" and info["000"].published_inferred
    assert info["000"].agency == "AFP" and info["000"].agency_inferred
    assert info["001"].published == "2021-05-06" and not info["001"].published_inferred
    assert info["001"].agency == "AFP" and not info["001"].agency_inferred
    assert info["000"].family == info["001"].family is not None
    assert briefing.story.title is not None and "Blinken" in briefing.story.title
