"""Features of one line of a text dump: what the block classifier decides on.

Everything here is cheap (regexes and counts) and general: sentence shape, stop-word and capital
density, reader address, photo credits. No phrase comes from a particular outlet's pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from storyline.clean import metadata
from storyline.clean.markup import MarkedLine
from storyline.text import PROSE_STOP_WORDS, words
from storyline.text import tokens as word_tokens

SECOND_PERSON = frozenset(["you", "your", "yours", "yourself", "yourselves", "you're", "you'll", "you've", "you'd"])

_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$|[\"”’][.!?]$")
_TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d\d\b")
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?|‘[^’]*’")
# A call to action addressed to the reader of a web page.
# Both matched against the lower-cased line (one alternation behind one word boundary: fast).
_CTA = re.compile(
    r"\b(?:click here|click the link|tap here|subscribe|sign up|sign in|log ?in|newsletter|follow us"
    r"|download (?:our|the) app|share (?:this|full) (?:article|story)|leave a (?:reply|comment)"
    r"|all rights reserved|copyright|find out more|read (?:more|next|also)|watch (?:live|now)"
    # a cookie notice, not any mention of cookies
    r"|(?:we|site|website) (?:use|uses|store|set)s? cookies|(?:accept|allow|enable) (?:all )?cookies"
    r"|cookies? (?:policy|settings|preferences|notice|consent)"
    r"|listen to this|wherever you get your podcasts|best deals|promo code|free trial"
    r"|(?:in|from|visit) our (?:shop|store)|\d+% off)\b|©"
)
_CTA_MAX_WORDS = 30
# What every match of `_CTA` contains: a line without any of them skips the pattern.
_CTA_PARTS = (
    "click", "tap here", "subscribe", "sign ", "log", "newsletter", "follow us", "download ", "share ",
    "leave a ", "all rights reserved", "copyright", "find out more", "read ", "watch ", "cookie",
    "listen to this", "wherever you get", "best deals", "promo code", "free trial", "our s", "% off", "©",
)  # fmt: skip


def search_guarded(text: str, parts: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
    """Whether `pattern` matches in `text`, searched only when `text` holds one of `parts` (pieces every
    match contains): most lines hold none, and a few `in` checks cost a fraction of the search."""
    return any(map(text.__contains__, parts)) and pattern.search(text) is not None


def _calls_to_act(folded: str) -> bool:
    """`_CTA` on the lower-cased line, run only when a word it needs is there."""
    return search_guarded(folded, _CTA_PARTS, _CTA)


# Photo credits closing a caption: `PHOTO: REUTERS`, `| KYODO`, `Photograph: X/EPA`, `(Photo by X)`,
# `Efrem Lukatsky / Pool / AFP`, `Photo courtesy of X`.
_CAPTION_CREDIT = re.compile(
    r"\b(?:photos?|photograph|picture|image|credit)\s*:\s*[^.!?]{1,60}$"
    r"|\b(?:photo|photograph|picture|image) (?:by|courtesy)\b"
    r"|\bgetty images\b|\bshutterstock\b|\(\s*photo\b"
)
_CREDIT_TAIL = re.compile(
    r"(?:^|\s)\|\s*[A-Z][A-Z./ ]{1,30}$"
    r"|\b[A-Z][\w.-]+(?: [A-Z][\w.-]+)* ?/ ?(?:[A-Z][\w.-]+ ?/ ?)*"
    r"(?:AFP|AP|Reuters|REUTERS|EPA|Pool|POOL|Getty|UPI|Xinhua|Kyodo|KYODO|Bloomberg)\s*\)?\.?$"
    # the agency first, then the photographer's full name: `AFP / Fred Mery`, `REUTERS/Kim Kyung-Hoon`
    # (two names at least: `a Reuters/Ipsos poll` is a survey, not a credit)
    r"|(?:AFP|AP|Reuters|REUTERS|EPA|Getty Images|UPI|Xinhua|Kyodo|KYODO|Bloomberg) ?/ ?"
    r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3}\s*\)?$"
)
# Caption position labels (`Top:`, `Above:`): how photo sets are captioned in print and on the web.
# `FILE - Ales Bialiatski ... sits in a cage ...`: the wire's label for an archive picture's caption.
_CAPTION_LABEL = re.compile(
    r"^(?:(?:top|bottom|above|below|left|right|inset|file photo|pictured|main photo)\s*:|file ?[-–—:] ?[A-Z])",
    re.IGNORECASE,
)
# An embedded post's attribution: `— European Central Bank (@ecb) June 6, 2024`.
_EMBED = re.compile(r"^\s*[—–-]\s*.{1,80}\(@\w+\)")
# `3 hours ago`, `Updated 5 mins ago`: the time stamp of a comment or a live post, a date line.
_RELATIVE_TIME = re.compile(
    r"^(?:updated|posted|published)?\s*(?:\d+|an?|one)\s+(?:sec|second|min|minute|hr|hour|day|week|month|year)s?\s+ago$",
    re.IGNORECASE,
)
# A statement attributed to someone (`..., the county said.`): reported speech addressing residents or
# mentioning subscribers is news, not the page addressing its reader.
_ATTRIBUTED = re.compile(r"\b(?:said|says|told|advised|warned|urged|according to|announced)\b")
# `contentSkip to navigation`: menu items glued together by a careless text export.
_GLUED = re.compile(r"[a-z]{3,}[A-Z][a-z]")


@dataclass
class Line:
    """One non-blank line of a document, its features, and the classifier's decision about it."""

    pos: int  # index among non-blank lines
    block: int  # index of the blank-line separated block it belongs to
    raw: str
    marked: MarkedLine
    text: str
    words: int
    stop_ratio: float
    cap_ratio: float  # share of capitalised words among the non-stop words
    letters: int
    upper_ratio: float  # share of upper-case letters
    terminal: bool  # ends like a sentence
    starts_ok: bool  # starts like a sentence (capital, digit or quote)
    reader_address: int  # second-person words outside quotations
    cta: bool
    caption: bool
    kind: str = ""  # the line's own class, before context: body, short, caption, prompt, ...
    label: str = ""  # the decision: body, heading, removed, title
    reason: str = ""
    key: str = ""  # normalised text for repetition counts
    base_kind: str = ""  # the class from the line's own features, before any context changed `kind`

    def reset(self) -> Line:
        """Forget every decision taken about the line (its features stay): for a second reading of
        the same document with more context, without measuring its lines again."""
        self.text = self.marked.text
        self.kind = self.base_kind
        self.label = self.reason = ""
        return self

    def copy_at(self, pos: int, block: int) -> Line:
        """The same line, measured, at another place (in another document), with no decision taken."""
        line = Line.__new__(Line)  # `copy.copy`, without its generic protocol (lines are copied often)
        line.__dict__.update(self.__dict__)
        line.pos, line.block = pos, block
        return line.reset()


@lru_cache(maxsize=20_000)
def normalise_key(text: str) -> str:
    """Case, quotes, punctuation and spacing folded, to count repetitions of a line. Cached (bounded,
    by the text alone): the corpus step keys the cleaned paragraphs, most of them a line just keyed."""
    text = text.casefold()
    if not text.isascii():  # the curly quotes are not ASCII: most lines skip the four replacements
        text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(words(text))


# A quotation in single ASCII quotes (`'It's been 24 hours ... impacted,' Pace wrote.`): opened before
# a capital at a word's start, closed by a quote mark after closing punctuation (an apostrophe sits
# inside a word); opened at the line's start and never closed, it runs on into the next paragraph.
_SINGLE_QUOTED = re.compile(r"(?:^|(?<=\s))'(?=[A-Z]).*?(?:[.,!?…]'(?=[\s)\]]|$)|(?<=^'.)(?!.*[.,!?…]'(?:\s|$)).*$)")
# A line going on with a quotation its paragraph's previous line opened: the first quote mark on it
# closes (`Prime Minister, you know ... go now," he signs off.`), after a sentence's punctuation.
_CLOSES_FIRST = re.compile(r'^[^"“”]*?[.,!?…]["”]')


def _outside_quotes(text: str) -> str:
    """The line without what is quoted in it (reported speech)."""
    closes = _CLOSES_FIRST.match(text)
    if closes and (text.count('"') % 2 == 1 if closes.group(0)[-1] == '"' else "“" not in closes.group(0)):
        text = " " + text[closes.end() :]
    if "'" in text:
        text = _SINGLE_QUOTED.sub(" ", text)
    return _QUOTED.sub(" ", text)


# The ASCII bytes that are not letters / not capitals: `str.isalpha` and `str.isupper` on ASCII.
_NOT_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())
_NOT_UPPER = bytes(b for b in range(128) if not chr(b).isupper())
_CLOSERS = "\"'”’)]"


def _ends_terminal(text: str) -> bool:
    """`_TERMINAL.search(text)`, read from the line's end instead of tried at every position."""
    if text.endswith("\n"):  # `$` also matches before a final newline: the pattern's own reading
        return bool(_TERMINAL.search(text))
    bare = text.rstrip(_CLOSERS)
    return (bool(bare) and bare[-1] in ".!?…") or (len(text) >= 2 and text[-2] in '"”’' and text[-1] in ".!?")


# Words every photo credit contains (`_CAPTION_CREDIT`): most lines have none and skip the pattern.
_CREDIT_WORDS = ("photo", "picture", "image", "credit", "shutterstock")


def _has_credit(text: str, folded: str) -> bool:
    """A photo credit closing the line (`_CAPTION_CREDIT` on the lower-cased line, `_CREDIT_TAIL` on
    its end), each pattern run only when the words or the bar or slash it needs are there."""
    if search_guarded(folded, _CREDIT_WORDS, _CAPTION_CREDIT):
        return True
    tail = text[-90:]  # a credit closes the line: only its end needs searching
    return ("|" in tail or "/" in tail) and bool(_CREDIT_TAIL.search(tail))


_STOP, _NUMBER, _LOWER, _CAPITAL = range(4)


class _TokenClasses(dict[str, int]):
    """Token -> its class for `line_features`: a stop word, a number, a lower-case or a capitalised
    content word; measured at a token's first sight, in a bounded table."""

    def __missing__(self, token: str) -> int:
        if token.casefold().strip("'’") in PROSE_STOP_WORDS:
            found = _STOP
        elif token[0].isdigit():
            found = _NUMBER
        else:
            found = _CAPITAL if token[0].isupper() else _LOWER
        if len(self) >= 100_000:
            self.clear()
        self[token] = found
        return found


_TOKEN_CLASSES = _TokenClasses()


def line_features(pos: int, block: int, raw: str, marked: MarkedLine) -> Line:
    """Measure one line."""
    text = marked.text
    tokens = word_tokens(text)
    words = len(tokens)
    # each token's class looked up (a word recurs on most lines), counted in C
    classes = list(map(_TOKEN_CLASSES.__getitem__, tokens))
    stops = classes.count(_STOP)
    caps = classes.count(_CAPITAL)
    content = caps + classes.count(_LOWER)
    if text.isascii():  # most lines: counted by deleting the other bytes, in C
        data = text.encode("ascii")
        letters = len(data.translate(None, _NOT_LETTER))
        upper = len(data.translate(None, _NOT_UPPER))
    else:
        letters = sum(map(str.isalpha, text))
        upper = sum(map(str.isupper, text))
    folded = text.lower()
    # what a quoted speaker says is reported speech, not the page addressing its reader
    quoted = '"' in text or "“" in text or "‘" in text or "”" in text or text.startswith("'") or " '" in text
    unquoted = _outside_quotes(text) if quoted else text
    reader_address = 0
    if "you" in text.casefold():  # every second-person word contains it: most lines stop here
        outside = word_tokens(unquoted) if quoted else tokens
        reader_address = sum(1 for t in outside if t.casefold() in SECOND_PERSON)
    return Line(
        pos=pos,
        block=block,
        raw=raw,
        marked=marked,
        text=text,
        words=words,
        stop_ratio=stops / words if words else 0.0,
        cap_ratio=caps / content if content else 0.0,
        letters=letters,
        upper_ratio=upper / letters if letters else 0.0,
        # A clause closing on a colon introduces a quotation or a list (`Here's what we know about the
        # winners:`): prose too, when it is long, or worded like a sentence (a label is a word or two).
        terminal=_ends_terminal(text) or (text.endswith(":") and (words >= 8 or (words >= 5 and stops >= 0.3 * words))),
        starts_ok=bool(text) and (text[0].isupper() or text[0].isdigit() or text[0] in "\"“‘'(["),
        reader_address=reader_address,
        # A call to action is short; a long sentence that mentions a newsletter is prose.
        cta=words <= _CTA_MAX_WORDS and _calls_to_act(unquoted.lower()),
        caption=_has_credit(text, folded) or bool(_CAPTION_LABEL.match(text)),
        key=normalise_key(text),
    )


_FIRST_PLURAL = re.compile(r"\b(?:we|our|us|we're|we've)\b")
# The vocabulary of a web page talking about itself (its site, app, browser, account, ads).
_WEB = re.compile(
    r"\b(?:(?:this|our) (?:website|site)|browser|notifications|cookies|subscri(?:be|ber|bers|ption)|newsletter"
    r"|podcast|click|download|sign (?:up|in)|premium|advertisement|javascript|donat(?:e|ion|ions)"
    r"|summari[sz]ation|loading)\b"
)
_WEB_WORDS = (
    "site", "browser", "notifications", "cookies", "subscri", "newsletter", "podcast", "click", "download",
    "sign ", "premium", "advertisement", "javascript", "donat", "summari", "loading",
)  # fmt: skip
_FIRST_PLURAL_WORDS = ("we", "our", "us")


def outlet_speaks(folded: str) -> bool:
    """The lower-cased line has a first-person plural word (`we`, `our`, `us`): a page speaking for itself."""
    return search_guarded(folded, _FIRST_PLURAL_WORDS, _FIRST_PLURAL)


def about_the_page(folded: str) -> bool:
    """The lower-cased line has the vocabulary of a web page talking about itself (`_WEB`)."""
    return search_guarded(folded, _WEB_WORDS, _WEB)


# A sentence opening on an imperative a page asks its reader with (`Send us your photos`, `Read more`).
_IMPERATIVE = re.compile(
    r"^(?:please |now |so )?(?:click|tap|share|follow|subscribe|sign|join|read|watch|listen|download|get|send"
    r"|e-?mail|tell|support|donate|register|log|visit|check|find|discover|don't|do not|like|comment|contact"
    r"|call|text|try|see|learn|make sure|help|buy|shop|save|enjoy|take|keep|stay)\b"
)


def addresses_as_news(line: Line) -> bool:
    """A sentence in the second person that tells the news (`If you have deposits at the bank, you are
    insured up to $250,000 ...`), not the page asking its reader to act: a long declarative sentence
    with no call to action, no word about the page itself (site, newsletter, app), the outlet not
    speaking (`we`, `our`), not opening on an imperative and not a question."""
    folded = line.text.casefold()
    return (
        line.words >= 12
        and line.terminal
        and not line.text.rstrip(_CLOSERS).endswith("?")
        and not line.cta
        and not _IMPERATIVE.match(folded)
        and not outlet_speaks(folded)
        and not about_the_page(folded)
    )


# What only a page says about itself, whoever the sentence's subject: notices, pointers, offers.
_PAGE_NOTICE = re.compile(
    r"\b(?:click|tap) here|\bfollow us|\bshare (?:this|full)|\bleave a|all rights reserved|©|copyright (?:\d|©|\(c\))"
    r"|\bread (?:more|next|also)|find out more|listen to this|wherever you get|cookie|\bin our|\bvisit our"
    r"|\d+% off|best deals|promo code|continue reading|\bthis (?:article|story|page|site|website)\b|\?"
)


def reports_web_activity(line: Line) -> bool:
    """A news sentence about what people do online (`Customers of the bank were unable to log in to
    their accounts`, `Twitter Blue subscribers will pay $8 a month`): call-to-action words, but a
    declarative sentence in the third person, not opening on an imperative, the outlet not speaking
    and no notice only a page prints (`click here`, `all rights reserved`, `this article`)."""
    folded = line.text.casefold()
    return (
        line.cta
        and not line.reader_address
        and line.words >= 8
        and line.terminal
        and line.starts_ok
        and line.stop_ratio >= 0.2
        and not _IMPERATIVE.match(folded)
        and not outlet_speaks(folded)
        and not _PAGE_NOTICE.search(folded)
    )


def is_glued(text: str) -> bool:
    """Menu items run together (`GreekEnglish`, `contentSkip to navigation`, `HomeNewsSport`). One
    capital inside a word of a longer line that starts like a sentence is a name (`AstraZeneca shares
    jump`, `BlackRock`, `LinkedIn`), not glue."""
    found = _GLUED.findall(text)
    if not found:
        return False
    return len(found) >= 2 or len(text.split()) <= 2 or not text[:1].isupper()


def is_embed_attribution(text: str) -> bool:
    """The attribution line of an embedded social media post."""
    return "(@" in text and bool(_EMBED.search(text))  # every attribution has its `(@`


def is_sentence(line: Line) -> bool:
    """Shaped like a sentence of running prose (the body of an article is made of these)."""
    # (a sentence may open on a lower-case name, `ispace said ...`, `eBay shares ...`, or be the cut-off
    # end of one, `centre-left Labour was set to win ...`)
    if line.words >= 6 and line.terminal and (line.starts_ok or line.text[:1].islower()) and line.stop_ratio >= 0.08:
        return True
    # Long lines without closing punctuation: a truncated paragraph, or prose missing its period.
    # Headlines of that length are mostly capitalised words with few function words.
    if line.words >= 8 and line.starts_ok and line.stop_ratio >= 0.2 and ends_dangling(line.text):
        return True
    return line.words >= 16 and line.stop_ratio >= 0.2 and line.cap_ratio < 0.6


# Words a headline does not end on but a sentence broken in two often does (`... from the`).
DANGLING = frozenset(["the", "a", "an", "of", "and", "or", "from", "with", "than"])


def ends_dangling(text: str) -> bool:
    """True when the line stops on an article, conjunction or preposition: a sentence broken in two."""
    words = text.split()
    return bool(words) and words[-1].casefold() in DANGLING


def is_title_like(line: Line, min_words: int = 2) -> bool:
    """Shaped like a headline or subhead: short, no closing period, starts with a capital."""
    text = line.text
    return (
        min_words <= line.words <= 25
        and line.starts_ok
        and not text.endswith((".", ",", ";", ":"))
        and not line.caption
        and not line.cta
        and not is_glued(text)
        and not _TIME_OF_DAY.search(text)
        and not ends_dangling(text)
        and not metadata.find_dates(text)  # the dearest test last
    )


_DATE_LABEL = re.compile(r"^(?:first |last )?(?:updated|posted|published|modified|edited|date)\b", re.IGNORECASE)


def _dated_sentence(line: Line) -> bool:
    """A short sentence stating a date (`The deal closed on October 27, 2022.`), not a date line: it
    ends like a sentence, has five words or more with function words among them, and no date label."""
    return line.terminal and line.words >= 5 and line.stop_ratio >= 0.25 and not _DATE_LABEL.match(line.text)


def classify_line(line: Line) -> str:
    """The class of a line on its own features (context is applied afterwards)."""
    text = line.text
    if not text or line.marked.rule or not any(c.isalnum() for c in text):
        return "empty"
    if metadata.is_url_only(text):
        return "url"
    if metadata.credit_line_agencies(text):
        return "credit"
    if metadata.parse_byline(text):
        return "byline"
    if line.words <= 4 and text.endswith(":"):
        return "label"
    if is_embed_attribution(text):
        return "embed"
    if line.caption:
        return "caption"
    if (line.cta or (line.reader_address and (line.words <= 40 or line.reader_address >= 2))) and not (
        (line.words >= 12 and line.terminal and _ATTRIBUTED.search(_outside_quotes(text)))
        or reports_web_activity(line)
    ):
        return "prompt"
    if line.words >= 10 and line.stop_ratio < 0.06 and line.cap_ratio < 0.5:
        return "foreign"
    if line.letters >= 10 and line.upper_ratio > 0.8 and line.words >= 2:
        return "shout"
    if line.marked.heading or (line.marked.bold and line.words <= 20 and not line.terminal):
        return "heading"
    dated_line = line.words <= 14 and not (line.terminal and line.words >= 8) and not _dated_sentence(line)
    if dated_line and metadata.find_dates(text):
        return "date"
    if line.words <= 5 and _RELATIVE_TIME.match(text):
        return "date"
    if is_sentence(line):
        return "body"
    if line.marked.bullet or line.marked.quote:
        return "nav"
    if is_glued(text):
        return "nav"
    return "short"
