"""Who a sentence's opening pronoun stands for, so that the sentence can stand alone in a summary.

A summary sentence taken from the middle of an article may open with `He said ...` or `It soon
weakened ...`: on its own the reader cannot tell who or what. The antecedent is looked for in the
sentences before it in the same article, from what the annotator stored (named entities and their
labels), and shown as a marked insertion after the pronoun (`He [Gérald Darmanin] said ...`), so the
sentence stays the source's words. When the antecedent cannot be told with some confidence (two
people named where `he` could be either, an `it` with no named subject before it, an expletive `it
is expected that`) nothing is resolved and the sentence stays out of the summary, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.annotate.quotes import CUE_FORMS
from storyline.annotate.records import Annotations
from storyline.text import strip_dateline

#: How many sentences back a `he`/`she` may find the person it stands for.
PERSON_REACH = 3

#: A subject pronoun opening a sentence, perhaps after a discourse connective (`But he said ...`).
#: A contraction (`She's`) is left alone: the note would split the word.
_OPENER = re.compile(
    r"^(?:(?:but|and|so|yet|however|also|meanwhile|still|then|instead|again)\s*,?\s+)?(he|she|it)\b(?![’'`]\w)",
    re.IGNORECASE,
)
#: `It` before a copula or a verb of seeming is mostly expletive (`It is unclear whether ...`, `It
#: remains to be seen`) or names a common noun (`It was the second eruption`): not resolved.
_EXPLETIVE = re.compile(
    r"^(?:is|was|has been|had been|will be|would be|could be|may be|might be|seems|seemed|appears|appeared|"
    r"remains|remained|looks|looked|takes|took|means|meant|comes|came|is not|was not|isn't|wasn't)\b",
    re.IGNORECASE,
)
#: Labels a person-pronoun can stand for, and those an `it` can.
_PERSON = frozenset({"PERSON"})
_THING = frozenset({"ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "FAC", "LAW", "GPE", "LOC"})
#: A sentence's leading proper-noun subject: capitalised words (with `of`, `and` between)
#: followed by a lowercase word, e.g. `Hurricane Helene roared ...`, `The Bank of England cut ...`.
_LEADING_NAME = re.compile(
    r"^(?:[Tt]he\s+)?((?:[A-Z][\w’'.-]*)(?:\s+(?:of|and|de|for)?\s*[A-Z][\w’'.-]*)*)\s+(?=[a-z])"
)
#: The word after a leading name, past a place it is qualified by (`The National Hurricane Center in
#: Miami said ...`), and the `that` after it.
_VERB_AFTER_NAME = re.compile(r"(?:(?:in|at|of|from)\s+(?:[A-Z][\w’'.-]*\s+)+)?([a-z]+)\s+(?:that\s+)?")
#: A common-noun subject (`The storm hit ...`): the likelier antecedent of `it`, which the stored
#: entities do not name, so an `it` after it is not resolved to another name of that sentence.
_COMMON_SUBJECT = re.compile(r"^(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Ii]ts|[Tt]heir)\s+[a-z]")


@dataclass(frozen=True)
class Resolution:
    """The pronoun opening a sentence (`end`: its end offset in the sentence as shown) and the name it
    stands for."""

    end: int
    name: str

    def shown(self, text: str, offset: int = 0) -> str:
        """`text` with the name after the pronoun (`offset`: characters cut from the front of the text
        the resolution was made on)."""
        end = self.end - offset
        if not 0 < end <= len(text):
            return text
        return f"{text[:end]} [{self.name}]{text[end:]}"


def opening_pronoun(text: str) -> re.Match[str] | None:
    """The subject pronoun (`he`, `she`, `it`) a sentence opens with, perhaps after a connective."""
    return _OPENER.match(text)


def resolve_opener(text: str, sentence: int, annotations: Annotations, article_text: str) -> Resolution | None:
    """Whom or what the pronoun opening `text` (sentence `sentence` of an article, its dateline cut)
    stands for, from the article's earlier sentences, or None when that cannot be told."""
    match = _OPENER.match(text)
    if match is None:
        return None
    pronoun = match[1].lower()
    if pronoun in ("he", "she"):
        name = _person_before(sentence, annotations, article_text)
    else:
        if _EXPLETIVE.match(text[match.end() :].lstrip()):
            return None
        speaks = re.match(r"\s*([a-z]+)", text[match.end() :])
        name = _thing_before(sentence, annotations, article_text, bool(speaks and speaks[1] in CUE_FORMS))
    return Resolution(match.end(1), name) if name else None


def _mentions(annotations: Annotations, sentence: int) -> list[tuple[int, int, str, str]]:
    """(start, end, label, canonical name) of every entity mention in one sentence, in text order."""
    out = [
        (m.start, m.end, e.label, e.canonical)
        for e in annotations.entities
        for m in e.mentions
        if m.sentence == sentence
    ]
    return sorted(out)


def _person_before(sentence: int, annotations: Annotations, article_text: str) -> str | None:
    """The one person named in the nearest earlier sentence that names anyone (within `PERSON_REACH`);
    None when that sentence names two or more (`he` could be either)."""
    for k in range(sentence - 1, max(sentence - 1 - PERSON_REACH, -1), -1):
        mentions = _mentions(annotations, k)
        people = {name for _, _, label, name in mentions if label in _PERSON}
        if not people:
            continue
        if len(people) > 1:
            return None
        # `Rodri was in the right place when Bernardo Silva's cutback ...`: a subject named but
        # not as a person (an untyped or mistyped name) may be whom the pronoun stands for.
        subject = _subject_name(annotations, k, article_text)
        if subject is not None and not any(
            label in _PERSON and m_start < subject[1] and subject[0] < m_end for m_start, m_end, label, _ in mentions
        ):
            return None
        return people.pop()
    return None


def _subject_name(annotations: Annotations, sentence: int, article_text: str) -> tuple[int, int] | None:
    """The article span of the capitalised name a sentence opens with as its subject, after a fronted
    clause if any (`With extra time looming, Rodri was ...`), or None when it opens otherwise. A
    single capitalised word first in the sentence is a name only when the annotator named it or the
    article writes it capitalised inside a sentence too (`Rodri`, not `Making`)."""
    span = annotations.sentences[sentence]
    text, cut = strip_dateline(article_text[span.start : span.end])
    base = span.start + cut
    comma = text.find(",")
    for offset in (0, comma + 1) if 0 < comma < len(text) / 2 else (0,):
        rest = text[offset:]
        skipped = len(rest) - len(rest.lstrip())
        lead = _LEADING_NAME.match(rest.lstrip())
        if lead is None:
            continue
        start, end = base + offset + skipped + lead.start(1), base + offset + skipped + lead.end(1)
        if offset == 0 and len(lead[1].split()) == 1:
            named = any(m.start < end and start < m.end for e in annotations.entities for m in e.mentions)
            if not (named or _capitalised_inside(lead[1], article_text)):
                continue
        return start, end
    return None


def _capitalised_inside(word: str, text: str) -> bool:
    """Whether `text` writes `word` capitalised after a lowercase word (inside a sentence): a name."""
    return re.search(rf"\b[a-z][\w,]*\s+{re.escape(word)}\b", text) is not None


def _named_subject(text: str, base: int, mentions: Sequence[tuple[int, int, str, str]], initial: bool) -> str | None:
    """The proper name `text` opens with as its subject (`base`: the article offset of `text`), when
    it is a thing's: two or more capitalised words, or one the annotator named, or one capitalised
    inside a sentence (`initial` false), where a capital marks a name."""
    if _COMMON_SUBJECT.match(text):
        return None
    lead = _LEADING_NAME.match(text)
    if lead is None:
        return None
    start, end = base + lead.start(1), base + lead.end(1)
    covering = [m for m in mentions if m[0] < end and start < m[1]]
    if any(label not in _THING for _, _, label, _ in covering):
        return None  # a person or a nationality: not an `it`
    if re.search(r"['’]s$", lead[1]):
        return None  # `The UK's base rate`: the subject is what the name owns, unnamed
    if covering or len(lead[1].split()) >= 2 or not initial:
        return f"the {lead[1]}" if re.match(r"^the\s", text, re.IGNORECASE) else lead[1]
    return None


def _thing_before(sentence: int, annotations: Annotations, article_text: str, speaks: bool = False) -> str | None:
    """What an `it` stands for: the named subject of the sentence just before (its leading proper
    name, or the first named non-person near its start when the sentence opens with a fronted clause).
    `speaks`: the `it` says or reports something (`It said ...`): it is a source, so the subject of a
    sentence that reports is the antecedent, not what it reports (`The US Geological Survey reported
    the tremors. It said ...`)."""
    if sentence <= 0 or sentence > len(annotations.sentences):
        return None
    previous = annotations.sentences[sentence - 1]
    raw = article_text[previous.start : previous.end]
    text, cut = strip_dateline(raw)
    if not text or _COMMON_SUBJECT.match(text):
        return None
    mentions = _mentions(annotations, sentence - 1)
    base = previous.start + cut
    lead = _LEADING_NAME.match(text)
    if lead:
        after = text[lead.end() :]
        verb = _VERB_AFTER_NAME.match(after)
        if verb and verb[1] in CUE_FORMS and not speaks:
            # `The National Hurricane Center said Helene roared ashore ...`: the source said it; the
            # `it` that follows is what the reported clause is about.
            rest = lead.end() + verb.end()
            return _named_subject(text[rest:], base + rest, mentions, initial=False)
        name = _named_subject(text, base, mentions, initial=True)
        if name is not None or len(lead[1].split()) > 1:
            return name
    # A fronted clause (`Released last July, "Oppenheimer" immediately drew ...`): the first name
    # after it, when it sits in the first half of the sentence and is not a person's.
    comma = text.find(",")
    if comma < 0:
        return None
    for start, _end, label, name in mentions:
        offset = start - previous.start - cut
        if offset < comma:
            continue
        between = text[comma + 1 : offset].strip(" \"“‘'")
        if between.lower() not in ("", "the") or offset > len(text) / 2 or label not in _THING - {"GPE", "LOC"}:
            return None
        return f"the {name}" if between.lower() == "the" and not name.lower().startswith("the ") else name
    return None
