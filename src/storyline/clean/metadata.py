"""Metadata found in the text itself: byline, wire agency, dates, dateline, URL, outlet, a derived title.

Each function reads one line (or the URL) and returns what it finds or None: the cleaner decides
which lines to ask (a date in the header is a publication date, a date in the body is not).
Unknown stays None; nothing here guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from courlan import extract_domain

from storyline.text import MONTH_NAME, dateline, month_number

# Wire services whose copy other outlets republish. Keys are how they are written in credits and
# datelines (matched case-insensitively as whole words); values are the canonical names we store.
AGENCIES: dict[str, str] = {
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "upi": "UPI",
    "united press international": "UPI",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "xinhua": "Xinhua",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "jiji": "Jiji",
    "jiji press": "Jiji",
    "yonhap": "Yonhap",
    "tass": "TASS",
    "interfax": "Interfax",
    "ria novosti": "RIA Novosti",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "pti": "PTI",
    "ians": "IANS",
    "ani": "ANI",
    "bernama": "Bernama",
    "aap": "AAP",
    "pa": "PA",
    "pa media": "PA",
    "the canadian press": "CP",
    "bloomberg": "Bloomberg",
}
_AGENCY_ALT = "|".join(sorted((re.escape(k) for k in AGENCIES), key=len, reverse=True))
_AGENCY_WORD = re.compile(rf"(?<![\w/-])({_AGENCY_ALT})(?![\w-])", re.IGNORECASE)
# A line that is only agency credits: `REUTERS`, `(AFP)`, `— AP`, `fb/mm (AFP, AP, dpa, Reuters)`.
_CREDIT_LINE = re.compile(
    rf"^\s*(?:[a-z]{{1,4}}(?:/[a-z]{{1,4}})+\s*)?[(\[–—-]*\s*((?:{_AGENCY_ALT})(?:\s*(?:,|/|and|&)\s*(?:{_AGENCY_ALT}))*)"
    r"\s*[)\]]*\s*\.?\s*$",
    re.IGNORECASE,
)
# `(AP)`, `(Reuters)`, `(AP/KPR)`: the agency in a dateline or at the end of a paragraph.
_PAREN_AGENCY = re.compile(rf"\(\s*((?:{_AGENCY_ALT}))(?:\s*/\s*[\w .-]+)?\s*\)", re.IGNORECASE)

_MONTH = rf"(?P<month>{MONTH_NAME})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    re.compile(rf"\b{_MONTH}\s*{_DAY},?\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"(?<!\d){_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}", re.IGNORECASE),
]
_YEAR_ANYWHERE = re.compile(r"(?:19|20)\d\d")
_MONTH_DAY = re.compile(rf"^\s*{_MONTH}\s*{_DAY}\b", re.IGNORECASE)
_URL_DATE = re.compile(r"(?<![\d])((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?![\d])")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/")

# Leading `date 2021-05-08 ` (or `date 2024-02`): a prefix some text exports put before the article.
DATE_PREFIX = re.compile(r"^\s*date\s+(?P<iso>(?:19|20)\d\d-\d\d(?:-\d\d)?)\b[ \t]*", re.IGNORECASE)
# A full date glued to the lead (`February 13, 2021Dozens of people...`): an export artefact.
GLUED_DATE = re.compile(
    rf"^\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?{_MONTH}\s*{_DAY},?\s+{_YEAR}(?=[A-Z])",
    re.IGNORECASE,
)

_BYLINE = re.compile(r"^\s*(?:by|words by|written by|reporting by)\s*:?\s+(?P<names>.+?)\s*$", re.IGNORECASE)
_NAME = re.compile(
    r"^(?:[A-Z][\w'’.-]*|de|da|van|von|der|al|el|bin|le|la|du|di)(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|al|el|bin|le|la|du|di)){1,4}$"
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)


@dataclass
class Byline:
    """Authors and agency read from a `By ...` line."""

    authors: list[str] = field(default_factory=list)
    agency: str | None = None


def canonical_agency(name: str) -> str | None:
    """The canonical name of a wire agency (`Agence France-Presse` -> `AFP`), or None if not one."""
    return AGENCIES.get(re.sub(r"\s+", " ", name.strip().casefold()))


# `(With inputs from AP)`, `(Inputs from PTI and Reuters)`: the wire copy an article was written from.
_INPUTS_FROM = re.compile(
    rf"\(?\s*(?:with\s+)?(?:additional\s+)?inputs?\s+from\s+((?:{_AGENCY_ALT})(?:\s*(?:,|/|and|&)\s*(?:{_AGENCY_ALT}))*)"
    r"\s*\)?\s*\.?\s*$",
    re.IGNORECASE,
)
# The same credits closing a paragraph, in brackets.
_TRAILING_CREDIT = re.compile(
    rf"\s*\(\s*(?:(?:with\s+)?(?:additional\s+)?inputs?\s+from\s+(?P<agencies>(?:{_AGENCY_ALT})"
    rf"(?:\s*(?:,|/|and|&)\s*(?:{_AGENCY_ALT}))*)|(?P<reuters>(?:additional\s+)?reporting\s+by\b[^()]*?"
    r"\bediting\s+by\b[^()]*))\s*\)\s*\.?\s*$",
    re.IGNORECASE,
)


def split_trailing_credit(paragraph: str) -> tuple[str, str, list[str]] | None:
    """`... open to talks. (Reporting by A; Editing by B)`: the paragraph without its closing source
    credit, the credit, and the agencies it names; None when it closes on no such credit."""
    m = _TRAILING_CREDIT.search(paragraph)
    if not m or not paragraph[: m.start()].strip():
        return None
    if m.group("reuters"):
        agencies = ["Reuters"]
    else:
        found = [canonical_agency(a.group(1)) for a in _AGENCY_WORD.finditer(m.group("agencies"))]
        agencies = list(dict.fromkeys(a for a in found if a))
    return paragraph[: m.start()].rstrip(), m.group(0).strip(), agencies


def credit_line_agencies(line: str) -> list[str]:
    """The agencies of a line that is nothing but agency credits (`REUTERS`, `(AFP)`, `(With inputs
    from AP)`), else []."""
    inputs = _INPUTS_FROM.match(line)
    if inputs:
        found = [canonical_agency(m.group(1)) for m in _AGENCY_WORD.finditer(inputs.group(1))]
        return list(dict.fromkeys(a for a in found if a))
    match = _CREDIT_LINE.match(line)
    if not match:
        return ["Reuters"] if reuters_credit(line) else []
    found = [canonical_agency(m.group(1)) for m in _AGENCY_WORD.finditer(match.group(1))]
    return list(dict.fromkeys(a for a in found if a))


def trailing_agency(paragraph: str) -> str | None:
    """`... a Chinese national. (AFP)`: an agency credit closing a paragraph."""
    match = re.search(rf"\(\s*({_AGENCY_ALT})\s*\)\.?\s*$", paragraph, re.IGNORECASE)
    return canonical_agency(match.group(1)) if match else None


def parse_byline(line: str) -> Byline | None:
    """Authors and agency of a `By A and B for AFP` line, or None when the line is not a byline."""
    match = _BYLINE.match(line)
    if not match:
        return None
    names = match.group("names").strip(" .")
    byline = Byline()
    tail = re.search(rf"\s*(?:,|\bfor\b|\bof\b|\|)\s*(?:the\s+)?({_AGENCY_ALT})\s*$", names, re.IGNORECASE)
    paren = re.search(rf"\s*\(\s*({_AGENCY_ALT})\s*\)\s*$", names, re.IGNORECASE)
    for found in (tail, paren):
        if found:
            byline.agency = canonical_agency(found.group(1))
            names = names[: found.start()].strip(" ,")
    parts = [p.strip(" ,.") for p in re.split(r",|\band\b|&", names) if p.strip(" ,.")]
    if not parts or len(names.split()) > 12:
        return None
    for part in parts:
        if canonical_agency(part):
            byline.agency = byline.agency or canonical_agency(part)
        elif _NAME.match(part) and not part.startswith("The "):
            byline.authors.append(part)
        elif part[:1].isdigit() or part[:1].islower():
            return None  # `By 25 basis points, ...`: a sentence, not a byline
    if not byline.authors and not byline.agency:
        return None
    return byline


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, date]]:
    """Every complete calendar date (day, month and year) written in `text`, with its offset."""
    if not _YEAR_ANYWHERE.search(text):
        return []  # every complete date has a year: most lines are settled by this one scan
    found: list[tuple[int, date]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            d = _valid(int(m.group("year")), month_number(m.group("month")), int(m.group("day")))
            if d:
                found.append((m.start(), d))
    return sorted(found)


def url_date(url: str | None) -> date | None:
    """A date in the URL path (`/2021/05/06/`, `/2023-02-13/`, `-2019-03-10/`), or None."""
    if not url:
        return None
    path = urlsplit(url).path
    for m in _URL_DATE.finditer(path):
        d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return d
    return None


def url_year(url: str | None) -> int | None:
    """The year of a `/2018/10/` style URL path (month precision), or None."""
    if not url:
        return None
    m = _URL_MONTH.search(urlsplit(url).path)
    return int(m.group(1)) if m and 1 <= int(m.group(2)) <= 12 else None


@dataclass(frozen=True)
class Dateline:
    """What the opening of a lead paragraph says: place, agency, and a month-day filing date."""

    place: str | None = None
    agency: str | None = None
    month_day: tuple[int, int] | None = None


def parse_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening a lead paragraph (`KIEV - `, `May 7 (UPI) --`), or None. A filing-date
    dateline counts only with an agency's credit, and an agency is no place (`REUTERS - `)."""
    found = dateline(paragraph)
    if found is None:
        return None
    agency = _credit_agency(found.credit or "")
    if found.month_day:
        return Dateline(agency=agency, month_day=found.month_day) if agency else None
    if found.place is None or canonical_agency(found.place):
        return None
    return Dateline(place=found.place, agency=agency)


def _credit_agency(credit: str) -> str | None:
    for part in re.split(r"[/,&]", credit):
        agency = canonical_agency(part)
        if agency:
            return agency
    return None


def find_url(text: str) -> str | None:
    """The first http(s) URL in `text`, trailing punctuation removed."""
    m = _URL.search(text)
    return m.group(0).rstrip(".,;:") if m else None


def is_url_only(text: str) -> bool:
    """True for a line that is nothing but a URL."""
    m = _URL.fullmatch(text.strip().strip("<>"))
    return bool(m)


def outlet_from_url(url: str | None) -> str | None:
    """The outlet of a URL: its registered domain by the public suffix list (`edition.cnn.com` and
    `www.cnn.com` are `cnn.com`; `bbc.co.uk` stays whole; a blog host's subdomain, `x.blogspot.com`,
    is its own outlet), or the host for an address with no registered domain (an IP); None when the
    URL has no usable host."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host or "." not in host:
        return None
    # courlan (trafilatura's URL toolkit) ships the suffix list: no download at run time.
    domain = extract_domain(f"https://{host}/")
    return domain or (host[4:] if host.startswith("www.") else host)


def derive_title(lead: str, max_words: int = 20) -> str:
    """A title from the lead's first sentence, without dateline: short, at a clause boundary if long."""
    found = dateline(lead)
    text = lead[found.end :] if found else lead
    sentence = re.split(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z\"“])", text, maxsplit=1)[0].strip()
    words = sentence.split()
    if len(words) <= max_words:
        return sentence.rstrip(".")
    head = " ".join(words[:max_words])
    cut = head.rfind(",")
    if cut > len(head) // 2:
        return head[:cut] + "…"
    return head.rstrip(" ,;:") + "…"


# --- header fields, unmarked bylines, credits -------------------------------------------------------

_PIPE_FIELD_MAX_WORDS = 20
_PIPE_BODY_MIN_WORDS = 12


@dataclass(frozen=True)
class PipeHeader:
    """A dump's one-line header `Title | 14 Feb 2021 | Section | body...` split into its fields."""

    fields: list[str]  # the header fields, in order (title, date, section...)
    title: str
    published: date
    body: str  # the rest of the line: the article's first paragraph


def split_pipe_header(line: str) -> PipeHeader | None:
    """Split a `|`-separated header (title, date, section) from the body text it is glued to.

    Only when the fields before the body are short, none ends like a sentence, one of them is a
    date on its own, another is a headline (three words or more; the longest is the title), and what
    follows reads as prose: `a | b | c` inside a paragraph stays as it is.
    """
    if line.count("|") < 2:
        return None
    parts = [p.strip() for p in line.split("|")]
    k = next(
        (
            n
            for n, part in enumerate(parts)
            if len(part.split()) >= _PIPE_BODY_MIN_WORDS and re.search(r"[.!?][\"'”’)]*(?:\s|$)", part)
        ),
        None,
    )
    if k is None:
        return None
    fields = parts[:k]
    if len(fields) < 2 or any(not f or len(f.split()) > _PIPE_FIELD_MAX_WORDS or f.endswith(".") for f in fields):
        return None
    dated = [(f, find_dates(f)) for f in fields]
    # a date field is a date and little more (`14 Feb 2021`, `Sunday, February 14, 2021 10:32`)
    date_fields = [(f, found[0][1]) for f, found in dated if found and len(f.split()) <= 7]
    if not date_fields:
        return None
    others = [f for f in fields if f not in {d for d, _ in date_fields}]
    named = [f for f in others if len(f.split()) >= 3]
    if not named:
        return None  # `Photo | Reuters | 14 Feb 2021 | ...`: credits and a date, no headline to split off
    title = max(named, key=lambda f: len(f.split()))
    return PipeHeader(fields=fields, title=title, published=date_fields[0][1], body=" | ".join(parts[k:]))


# A person's name as a byline prints it: 2-4 capitalised words or initials, name particles allowed.
_PERSON_WORD = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.(?:[A-Z]\.)?|Mc[A-Z][a-z]+|O'[A-Z][a-z]+)"
_PERSON = re.compile(rf"^{_PERSON_WORD}(?:\s+(?:(?:de|da|van|von|der|al|bin|le|la|du|di)\s+)?{_PERSON_WORD}){{1,3}}$")
# A byline's second line: the writer's role or the outlet they write for (`Special to USA TODAY`).
_ROLE = re.compile(
    r"\b(?:special to|staff|correspondent|reporter|writer|editor|contributor|columnist|bureau|journalist"
    r"|freelance|contributing)\b",
    re.IGNORECASE,
)


def person_name(line: str) -> str | None:
    """The line when it is nothing but a person's name as bylines print it (`Thomas Maresca`), else None.

    Shape only: whether a header line with that shape IS a byline is for the cleaner to decide from
    the lines around it."""
    text = line.strip()
    if not _PERSON.match(text) or canonical_agency(text):
        return None
    return text


def is_role_line(line: str) -> bool:
    """A byline's role or outlet line (`Special to USA TODAY`, `Staff Writer`, `Tokyo correspondent`)."""
    return len(line.split()) <= 8 and bool(_ROLE.search(line)) and not find_dates(line)


# Reuters closes its copy with `(Reporting by A; Editing by B)`: the wire's own credit format.
_REUTERS_CREDIT = re.compile(
    r"^\(?\s*(?:additional\s+)?reporting\s+by\b[^()]*?\bediting\s+by\b[^()]*\)?\s*\.?\s*$", re.IGNORECASE
)
# `© 2024 The Japan Times`, `Copyright 2021 Kyodo News. All rights reserved.`, `(c) 2019 Example Media Ltd`
_COPYRIGHT = re.compile(
    r"^\s*(?:(?:©|\(c\)|copyright)\s*)+(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*,?\s*)?"
    r"(?P<name>[A-Z][\w&'’.-]*(?:\s+[\w&'’.-]+){0,5}?)\s*(?:[.,;|]|all rights reserved|$)",
    re.IGNORECASE,
)


def reuters_credit(line: str) -> bool:
    """`(Reporting by A; Editing by B)`: the closing credit of Reuters copy."""
    return bool(_REUTERS_CREDIT.match(line))


def copyright_holder(line: str) -> str | None:
    """The holder named by a copyright line (`© 2024 The Japan Times` -> `The Japan Times`), or None."""
    m = _COPYRIGHT.match(line)
    # a year or the sign: `Copyright Notice` is a menu item, not a credit
    if not m or not re.search(r"©|\(c\)|(?:19|20)\d\d", m.group(0), re.IGNORECASE):
        return None
    name = m.group("name").strip(" .,")
    name = re.sub(r"\s+(?:ltd|inc|llc|plc|limited|corp|corporation|co)\.?$", "", name, flags=re.IGNORECASE)
    if not name or not name[0].isupper() or name.casefold() in ("all", "all rights reserved"):
        return None
    return name
