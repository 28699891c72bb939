"""Quotes in an article's title (`title_quotes`), on real dev2-tune articles by id (cleaned as
`storyline ingest` cleans them): the headline's quote is found with its place, and its speaker is
one the body attributes, or None when the body attributes those words to no one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import DEV2_ARTICLES, dev2_tune_annotations, dev2_tune_articles

from storyline.annotate import Annotations, Quote
from storyline.annotate.quotes import title_quotes, with_title_quotes
from storyline.pipeline import ingest
from storyline.store import Store


def _title_quotes(gid: str) -> list[Quote]:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES} (CI has ../shared beside the clone)")
    return title_quotes(dev2_tune_articles()[gid].title, dev2_tune_annotations(gid).quotes)


def test_a_headline_quote_takes_the_speaker_named_across_its_dash() -> None:
    # `'Them's the breaks' - Boris Johnson announces resignation`: the body quotes Johnson.
    (quote,) = _title_quotes("b-011")
    title = dev2_tune_articles()["b-011"].title
    assert quote.text == "Them's the breaks" and quote.place == "title" and quote.sentence == -1
    assert title is not None and title[quote.start : quote.end].strip("'‘’") == "Them's the breaks"
    assert quote.speaker == "Boris Johnson" and quote.how == "nearby"
    assert quote.speaker_kind == "person"


def test_a_headline_quote_takes_the_speaker_of_the_same_words_in_the_body() -> None:
    # `Panic after the Moroccan earthquake: "Our neighbors are under the rubble"`: no name in the
    # headline; the body quotes those words with their speaker.
    (quote,) = _title_quotes("a-051")
    body = [q for q in dev2_tune_annotations("a-051").quotes if q.text.startswith("Our neighbors are under")]
    assert quote.text == "Our neighbors are under the rubble" and quote.how == "repeated"
    assert body and quote.speaker == body[0].speaker is not None


def test_a_title_of_a_work_before_a_headline_colon_is_no_speaker() -> None:
    # `Oscars: 'Everything Everywhere All At Once' Wins Seven Awards`: a film's name in marks;
    # `Oscars` speaks nowhere in the body.
    (quote,) = _title_quotes("b-021")
    assert quote.text == "Everything Everywhere All At Once" and quote.speaker is None


def test_title_quotes_are_kept_apart_from_the_text_and_round_trip() -> None:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES} (CI has ../shared beside the clone)")
    article = dev2_tune_articles()["b-011"]
    base = dev2_tune_annotations("b-011")
    made = with_title_quotes(Annotations.from_dict(base.to_dict()), article.title)
    assert all(q.place == "text" for q in made.quotes) and len(made.quotes) == len(base.quotes)
    assert [q.place for q in made.title_quotes] == ["title"]
    assert Annotations.from_dict(made.to_dict()) == made
    assert with_title_quotes(Annotations.from_dict(base.to_dict()), None).title_quotes == []


def test_ingest_stores_the_title_quotes_beside_the_text_quotes(tmp_path: Path) -> None:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES} (CI has ../shared beside the clone)")
    row = next(r for r in map(json.loads, DEV2_ARTICLES.read_text(encoding="utf-8").splitlines()) if r["id"] == "b-011")
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"url": row["url"], "text": row["text"]}) + "\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        ingest([source], store, group=False)
        (article,) = store.articles()
        entry = store.annotations(article.id)
    assert entry is not None
    stored = Annotations.from_dict(entry["data"])
    # the headline's quote, and its subhead repeating it, which takes the headline's speaker
    assert [(q.text, q.speaker, q.place) for q in stored.title_quotes] == [
        ("Them's the breaks", "Boris Johnson", "title"),
        ("Them's the breaks", "Boris Johnson", "heading"),
    ]
    assert stored.quotes and all(q.place == "text" for q in stored.quotes)


def test_quotes_in_subheads_are_read_beside_the_title_quotes() -> None:
    # a-029 (a hurricane report): two subheads quote the forecasters' words ('Catastrophic impacts',
    # 'Not going to survive'); they are found, with their place, offsets into their subhead.
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES} (CI has ../shared beside the clone)")
    article = dev2_tune_articles()["a-029"]
    made = with_title_quotes(Annotations.from_dict(dev2_tune_annotations("a-029").to_dict()), article.title,
                             article.headings)
    heading = [q for q in made.title_quotes if q.place == "heading"]
    assert {q.text for q in heading} >= {"Catastrophic impacts", "Not going to survive"}
    subheads = [h.text for h in article.headings]
    for q in heading:
        assert any(h[q.start : q.end].strip("'\"‘’“”") == q.text for h in subheads)
    assert Annotations.from_dict(made.to_dict()) == made


@pytest.mark.parametrize(("gid", "name"), [("a-041", "Good Morning America"), ("b-015", "Anatomy of a Fall"),
                                           ("b-036", "The Banshees of Inisherin")])
def test_a_title_case_name_in_marks_has_no_speaker(gid: str, name: str) -> None:
    """A show's or a film's name in marks is found as a quote but nobody said it, even in a sentence
    with a reporting verb (`told "Good Morning America"`)."""
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES} (CI has ../shared beside the clone)")
    found = [q for q in dev2_tune_annotations(gid).quotes if q.text == name]
    assert found and all(q.speaker is None for q in found)


def test_a_quoted_sentence_in_title_case_is_not_a_name() -> None:
    from storyline.annotate.quotes import is_work_title

    assert is_work_title("Good Morning America") and is_work_title("Killers of the Flower Moon")
    assert not is_work_title("We Will Fight On.") and not is_work_title("Thank You, Everyone")
    assert not is_work_title("our neighbors are under the rubble")
