"""Metadata read from text: bylines, agencies, dates, datelines, URLs, derived titles, markup."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.clean import metadata as meta
from storyline.clean.markup import strip_line


def test_byline_with_markdown_link_and_agency() -> None:
    line = strip_line("By [Shaun Tandon and Olga Shylenko for AFP](#)").text
    byline = meta.parse_byline(line)
    assert byline is not None
    assert byline.authors == ["Shaun Tandon", "Olga Shylenko"]
    assert byline.agency == "AFP"


@pytest.mark.parametrize(
    "line",
    [
        "By 25 basis points, as expected, the interest rate cut - The downward cycle for borrowing costs begins",
        "Blinken arrived late Thursday from London where he joined other foreign ministers from the",
    ],
)
def test_sentences_starting_with_by_are_not_bylines(line: str) -> None:
    assert meta.parse_byline(line) is None


def test_byline_of_an_organisation_names_no_author() -> None:
    assert meta.parse_byline("By The New York Times") is None
    assert meta.parse_byline("By Reuters") == meta.Byline(authors=[], agency="Reuters")


@pytest.mark.parametrize(
    ("line", "agencies"),
    [
        ("REUTERS", ["Reuters"]),
        ("(AFP)", ["AFP"]),
        ("fb/mm (AFP, AP, dpa, Reuters)", ["AFP", "AP", "dpa", "Reuters"]),
        ("Foreign Minister Dmytro Kuleba told Reuters last month", []),
        ("Daniel Roland/Pool/Reuters", []),
    ],
)
def test_credit_lines(line: str, agencies: list[str]) -> None:
    assert meta.credit_line_agencies(line) == agencies


def test_agency_closing_a_paragraph() -> None:
    assert meta.trailing_agency("“I am waiting for my colleague,” added Hannah, a Chinese national. (AFP)") == "AFP"
    assert meta.trailing_agency("An AFP reporter said there was a massive crater at the crash site.") is None


@pytest.mark.parametrize(
    ("lead", "place", "agency", "month_day"),
    [
        ("KIEV - US Secretary of State Antony Blinken on Thursday pressed Russia", "Kiev", None, None),
        ("KIEV • United States Secretary of State Antony Blinken said on Thursday", "Kiev", None, None),
        ("May 7 (UPI) -- Secretary of State Antony Blinken told Ukrainian President", None, "UPI", (5, 7)),
        ("Feb.13 (UPI) – A 7.1-magnitude earthquake struck Japan on Saturday", None, "UPI", (2, 13)),
        ("GLENDALE, Ariz. (AP/KPR) - Chiefs Kingdom is celebrating", "Glendale", "AP", None),
        ("WAJIMA, Japan (Reuters) - At least 48 people were killed", "Wajima", "Reuters", None),
        ("Addis Ababa, Ethiopia — An Ethiopian Airlines flight crashed", "Addis Ababa", None, None),
        ("TOKYO – A powerful earthquake that hit Japan on New Year’s Day", "Tokyo", None, None),
    ],
)
def test_datelines(lead: str, place: str | None, agency: str | None, month_day: tuple[int, int] | None) -> None:
    dateline = meta.parse_dateline(lead)
    assert dateline == meta.Dateline(place=place, agency=agency, month_day=month_day)


@pytest.mark.parametrize(
    "lead",
    [
        "U.S. Secretary of State Antony Blinken is scheduled to visit Ukraine next week",
        "The Kansas City Chiefs defeated the Philadelphia Eagles 38-35 on Sunday night",
        "Ukrainian Foreign Minister Dmytro Kuleba (R) and U.S. Secretary of State Antony Blinken.",
    ],
)
def test_leads_without_dateline(lead: str) -> None:
    assert meta.parse_dateline(lead) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 06, 2021", date(2021, 5, 6)),
        ("January 2, 2024 Web Desk", date(2024, 1, 2)),
        ("Thu 21 Jul 2022 10.00 EDTFirst published on Thu 21 Jul 2022 02.32 EDT", date(2022, 7, 21)),
        ("June 6, 2024Updated 8:47 a.m. ET", date(2024, 6, 6)),
        ("On Thursday, 6th June 2024, the European Central Bank", date(2024, 6, 6)),
        ("Robert Holzmann speaks in Vienna, Austria, on Tuesday, Sept. 26, 2023.", date(2023, 9, 26)),
    ],
)
def test_dates_in_text(text: str, expected: date) -> None:
    assert meta.find_dates(text)[0][1] == expected


def test_incomplete_dates_are_not_dates() -> None:
    assert meta.find_dates("Newsroom June 6 03:43") == []
    assert meta.find_dates("since April 2014") == []


def test_dates_and_hosts_of_urls() -> None:
    moscow = "https://www.themoscowtimes.com/2021/05/06/blinken-presses-russia-a73824"
    assert meta.url_date(moscow) == date(2021, 5, 6)
    assert meta.outlet_from_url(moscow) == "themoscowtimes.com"
    assert meta.url_date("https://www.cbsnews.com/news/ethiopian-plane-crash-live-updates-2019-03-10/") == date(
        2019, 3, 10
    )
    assert meta.url_date("https://www.arrowheadpride.com/2023/2/12/23597120/chiefs-eagles") == date(2023, 2, 12)
    assert meta.url_date("https://www.krone.at/3406420") is None
    assert meta.url_year("https://www.bangaloreaviation.com/2018/10/lion-air-jt-610.html") == 2018
    assert meta.outlet_from_url("not a url") is None


def test_outlet_is_the_registered_domain() -> None:
    # One outlet whatever the edition or subdomain; a public suffix of two labels stays whole.
    assert meta.outlet_from_url("https://edition.cnn.com/2021/05/06/politics/blinken-ukraine") == "cnn.com"
    assert meta.outlet_from_url("https://www.cnn.com/2021/05/06/politics/blinken-ukraine") == "cnn.com"
    assert meta.outlet_from_url("https://www.bbc.co.uk/news/world-europe-56995525") == "bbc.co.uk"
    assert meta.outlet_from_url("https://uk.reuters.com/article/ukraine-crisis-blinken") == "reuters.com"
    # An address with no registered domain keeps its host.
    assert meta.outlet_from_url("http://10.1.2.3/story") == "10.1.2.3"


def test_date_prefix_and_glued_date() -> None:
    m = meta.DATE_PREFIX.match(" date 2021-05-08 KIEV • United States Secretary of State")
    assert m and m.group("iso") == "2021-05-08"
    assert meta.DATE_PREFIX.match(" date 2024-02 After a hard fought regulation").group("iso") == "2024-02"  # type: ignore[union-attr]
    g = meta.GLUED_DATE.match("February 13, 2021Dozens of people were injured on Saturday")
    assert g and g.group(0) == "February 13, 2021"
    assert meta.GLUED_DATE.match("February 13, 2021 was a Saturday") is None


def test_derived_title_drops_the_dateline_and_stays_short() -> None:
    lead = (
        "KIEV • United States Secretary of State Antony Blinken said on Thursday that Washington could "
        'increase security assistance for Ukraine after what he called Russia\'s "reckless and aggressive" '
        "actions in massing troops near the Ukrainian border."
    )
    title = meta.derive_title(lead)
    assert title.startswith("United States Secretary of State Antony Blinken said on Thursday")
    assert title.endswith("…") and len(title.split()) <= 20
    assert meta.derive_title("Mahomes was named MVP. He threw three touchdowns.") == "Mahomes was named MVP"


@pytest.mark.parametrize(
    ("line", "text", "heading", "bold", "bullet"),
    [
        ("## **Turning page on Trump**", "Turning page on Trump", True, True, False),
        ("- Turning page on Trump -", "Turning page on Trump", True, False, False),
        ("# Blinken Presses Russia", "Blinken Presses Russia", True, False, False),
        (
            "The United States has earmarked \\$408 million",
            "The United States has earmarked $408 million",
            False,
            False,
            False,
        ),
        (
            "<https://www.themoscowtimes.com/2021/05/06/x-a73824>",
            "https://www.themoscowtimes.com/2021/05/06/x-a73824",
            False,
            False,
            False,
        ),
        ("  • Politics", "Politics", False, False, True),
        (
            "a relationship that President [Joe] Biden is",
            "a relationship that President [Joe] Biden is",
            False,
            False,
            False,
        ),
        (
            "Antony Blinken. **Efrem Lukatsky / Pool / AFP**",
            "Antony Blinken. Efrem Lukatsky / Pool / AFP",
            False,
            False,
            False,
        ),
    ],
)
def test_markup_stripping(line: str, text: str, heading: bool, bold: bool, bullet: bool) -> None:
    marked = strip_line(line)
    assert (marked.text, marked.heading, marked.bold, marked.bullet) == (text, heading, bold, bullet)


def test_pipe_header_fields_are_split_from_the_body() -> None:
    line = (
        "Quake jolts Fukushima area | 14 Feb 2021 | World | A powerful earthquake struck late Saturday off the "
        "coast, leaving at least 50 people injured. The quake was felt in Tokyo."
    )
    header = meta.split_pipe_header(line)
    assert header is not None
    assert header.fields == ["Quake jolts Fukushima area", "14 Feb 2021", "World"]
    assert (header.title, header.published) == ("Quake jolts Fukushima area", date(2021, 2, 14))
    assert header.body.startswith("A powerful earthquake struck late Saturday")


@pytest.mark.parametrize(
    "line",
    [
        # pipes inside prose, a table row, a header with no date: left alone
        "Rates rose in July | fell in May | and held in June, the bank said in a statement on Thursday.",
        "Team | Wins | Losses | Chiefs won the game on a last-second field goal by their kicker on Sunday night.",
        "Photo | Reuters | 14 Feb 2021",
        "Photo | 14 Feb 2021 | A powerful earthquake struck late Saturday off the coast, leaving dozens injured.",
    ],
)
def test_pipes_that_are_not_a_header(line: str) -> None:
    assert meta.split_pipe_header(line) is None


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        ("© 2024 The Japan Times", "The Japan Times"),
        ("Copyright 2021 Kyodo News. All rights reserved.", "Kyodo News"),
        ("© Copyright 2020, The Washington Post", "The Washington Post"),
        ("Copyright 2024 Nexstar Media Inc. All rights reserved.", "Nexstar Media"),
        ("Copyright Notice", None),
        ("Copyright infringement is a crime in 2024.", None),
    ],
)
def test_copyright_holders(line: str, holder: str | None) -> None:
    assert meta.copyright_holder(line) == holder


def test_reuters_closing_credit_is_an_agency_credit() -> None:
    assert meta.credit_line_agencies("(Reporting by Kiyoshi Takenaka; Editing by Gerry Doyle)") == ["Reuters"]
    assert meta.credit_line_agencies("Reporting by Kiyoshi Takenaka in Tokyo") == []


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Thomas Maresca", "Thomas Maresca"),
        ("Jean-Claude Van Damme", "Jean-Claude Van Damme"),
        ("Hot topics close", None),
        ("Reuters", None),
        ("Special to USA TODAY", None),
    ],
)
def test_person_name_shape(line: str, name: str | None) -> None:
    assert meta.person_name(line) == name
