"""The command line as a user meets it: ids that survive any terminal width, references that `brief`
accepts, counts in words, errors that name the database, and one article's readable view."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.store import Store

# Two articles of one dev event (the Noto earthquake) beside the five seeds: two stories or more.
DEV_EVENT = ("dev-002", "dev-004")


@pytest.fixture(scope="module")
def db(examples: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    lines = (shared_data / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    chosen = [json.loads(line) for line in lines if json.loads(line)["id"] in DEV_EVENT]
    extra = folder / "noto.jsonl"
    extra.write_text("\n".join(json.dumps({"url": a["url"], "text": a["text"]}) for a in chosen) + "\n")
    path = folder / "s.db"
    result = CliRunner().invoke(main, ["ingest", str(examples), str(extra), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _run(*args: str, columns: int | None = None) -> tuple[int, str, str]:
    env = {"COLUMNS": str(columns)} if columns else {}
    result = CliRunner(env=env).invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("columns", [40, 60, 80, 120])
def test_tables_keep_whole_ids_and_fit_the_width_when_piped(db: Path, columns: int) -> None:
    with Store(db) as store:
        article_ids = [a.id for a in store.articles()]
        story_ids = sorted(store.story_ids())
    assert len(story_ids) >= 2
    for command, ids in (("articles", article_ids), ("stories", story_ids)):
        code, out, err = _run(command, "--db", str(db), columns=columns)
        assert code == 0, err
        shown = set(re.findall(r"\b(?:st-)?[0-9a-f]{16}\b", out))
        assert shown == set(ids), f"{command} at {columns} columns cut or lost ids"
        widest = max(len(line.rstrip()) for line in out.splitlines()[1:])  # the title line may wrap
        assert widest <= columns, f"{command}: a line of {widest} characters at COLUMNS={columns}"


def test_narrow_tables_drop_secondary_columns_wide_ones_show_them(db: Path) -> None:
    _, wide, _ = _run("stories", "--db", str(db), columns=120)
    _, narrow, _ = _run("stories", "--db", str(db), columns=40)
    assert "dates" in wide and "articles" in wide and "independent" in wide
    assert "dates" not in narrow and "title" in narrow


def test_brief_takes_a_story_id_an_article_id_or_a_prefix_of_either(db: Path) -> None:
    with Store(db) as store:
        story = max(store.story_ids(), key=lambda s: len(store.story_article_ids(s)))
        article = store.story_article_ids(story)[-1]
    heads = set()
    for ref in (story, story[:7], article, article[:6]):
        code, out, err = _run("brief", ref, "--db", str(db), "--format", "json")
        assert code == 0, (ref, err)
        heads.add(json.loads(out)["story"]["id"])
    assert heads == {story}


def test_an_ambiguous_or_unknown_reference_says_so_on_stderr_naming_the_database(db: Path) -> None:
    with Store(db) as store:
        stories = sorted(store.story_ids())
    code, out, err = _run("brief", "st-", "--db", str(db))
    assert code == 1 and out == ""
    assert str(db) in err and "several stories match" in err
    assert all(s in err for s in stories)  # the candidates, to pick from
    code, out, err = _run("brief", "zzzz", "--db", str(db))
    assert code == 1 and out == "" and str(db) in err and "no such story or article" in err
    code, out, err = _run("articles", "zzzz", "--db", str(db))
    assert code == 1 and out == "" and str(db) in err


def test_a_database_in_a_missing_folder_is_named(tmp_path: Path, examples: Path) -> None:
    missing = tmp_path / "nowhere" / "s.db"
    code, _, err = _run("ingest", str(examples), "--db", str(missing))
    assert code == 1 and f"folder {missing.parent} does not exist" in err
    assert not missing.parent.exists()


def test_counts_are_in_words(examples: Path, tmp_path: Path) -> None:
    code, out, err = _run("ingest", str(examples), "--db", str(tmp_path / "s.db"))
    assert code == 0, err
    assert "1 new story," in out and "1 syndication family" in out and "5 articles in" in out
    assert not re.search(r"\b1 (?:stories|families|syndication families|briefings|articles)\b", out)
    _, listed, _ = _run("stories", "--db", str(tmp_path / "s.db"))
    assert listed.startswith("1 story in")


def test_one_article_reads_as_a_page_and_as_json(db: Path) -> None:
    with Store(db) as store:
        upi = next(a for a in store.articles() if a.agency == "UPI")
        quotes = store.annotations(upi.id)["data"]["quotes"]
    code, out, err = _run("articles", upi.id[:8], "--db", str(db), columns=120)
    assert code == 0, err
    flat = " ".join(out.replace("│", " ").split())
    assert upi.id in flat and "published 2021-05-07 inferred: year from a story article dated 1 day away" in flat
    assert "Removed by the cleaner" in flat and "headline (kept as title)" in flat
    assert "Advertisement ×" in flat  # one row for the ad label repeated down the page
    speaker = next(q["speaker"] for q in quotes if q["speaker"])
    assert f"Quotes ({len(quotes)})" in flat and speaker in flat
    assert "Figures (" in flat and "some 100,000 troops" in flat
    assert "Dates (" in flat and "2021-05-06" in flat  # "Thursday" resolved
    code, out, _ = _run("articles", upi.id[:8], "--db", str(db), "--json")
    assert code == 0 and json.loads(out)["annotations"]["data"]["quotes"] == quotes


def test_stories_and_the_briefing_agree_on_the_dates(db: Path) -> None:
    _, listed, _ = _run("stories", "--db", str(db), "--json")
    for story in json.loads(listed):
        _, out, _ = _run("brief", story["id"], "--db", str(db), "--format", "json")
        head = json.loads(out)["story"]
        assert (head["first_published"], head["last_published"]) == (
            story["first_published"], story["last_published"]
        )
        _, md, _ = _run("brief", story["id"], "--db", str(db), "--format", "md")
        first, last = story["first_published"], story["last_published"]
        span = "undated" if first is None else first if first == last else f"{first} to {last}"
        assert span in md.splitlines()[2]


def test_the_terminal_briefing_shows_the_copies_like_the_markdown(db: Path) -> None:
    with Store(db) as store:
        story = max(store.story_ids(), key=lambda s: len(store.story_article_ids(s)))
    _, terminal, _ = _run("brief", story, "--db", str(db), "--format", "terminal", columns=120)
    _, md, _ = _run("brief", story, "--db", str(db), "--format", "md")
    assert "### Copies" in md and "Copies" in terminal
    sentence = re.search(r"- \[([0-9 ]+)\] are one AFP text in 2 versions\.", md)
    assert sentence and f"[{sentence.group(1)}] are one AFP text in 2 versions." in terminal


def test_progress_shows_every_stage_with_an_eta_on_a_terminal(examples: Path, tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from storyline.pipeline import ingest

    shown = io.StringIO()
    console = Console(file=shown, force_terminal=True, width=100)
    with Store(tmp_path / "s.db") as store:
        report = ingest([examples], store, console=console)
    assert report.ok and len(report.new) == 5
    printed = shown.getvalue()
    for stage in ("ingesting", "annotating", "grouping"):
        assert re.search(rf"{stage}\s.*5/5", printed), f"no finished {stage} bar"
    assert "eta" in printed
