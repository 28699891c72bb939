"""Named entities with within-article linking of short mentions to the full name.

spaCy's small English model often mislabels a name (`Zelenskiy` as ORG, `Kiev` as PERSON), so the
label of an entity is the majority over all its mentions, and a one-word mention that is the last
word of a person's full name joins that person whatever its own label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from storyline.annotate.records import Entity, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: spaCy types kept as entities; numbers and dates are handled by figures.py and dates.py.
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
#: Courtesy titles stripped from a mention's front (`Mr Blinken` -> `Blinken`); well-known English forms.
_HONORIFIC = re.compile(r"^(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sir|Dame|Lord|Lady|Gen|Sen|Rep|Gov)\.?\s+)+")
#: Office titles before a name (`Mayor Masuhiro Izumiya`): the small model often types such a span as
#: a place or an organisation; without the title it is a person. Well-known English titles only.
_TITLE = re.compile(
    r"^(?:(?:Prime|Deputy|Vice|Foreign|Defen[cs]e|Finance|Chief|Former|Acting|Interior|Health)\s+)*"
    r"(?:President|Minister|Mayor|Governor|Senator|Chancellor|Secretary|Ambassador|King|Queen|Prince|"
    r"Princess|Pope|General|Colonel|Captain|Judge|Justice|Spokesman|Spokeswoman|Spokesperson|CEO|"
    r"Chairman|Chairwoman|Director|Commissioner|Premier|Sheikh|Emir|Archbishop|Bishop|Supervisor|"
    r"Councilman|Councilwoman|Councillor|Rabbi|Imam|Reverend|Rev\.|Sheriff|Taoiseach|Tanaiste)\s+"
    r"(?=[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*$)"
)
#: Lower-case role words that put a person's name after them (`mayor Masuhiro Izumiya`,
#: `spokesman Sindu Rahayu`); the name is then a person even when the model types it a place.
_ROLE_WORDS = frozenset(
    {
        "mayor", "spokesman", "spokeswoman", "spokesperson", "minister", "president", "secretary", "governor",
        "ceo", "chairman", "chairwoman", "director", "official", "professor", "reporter", "correspondent",
        "analyst", "strategist", "economist", "lawyer", "senator", "ambassador", "commander", "premier",
        "chancellor", "witness", "journalist", "founder", "manager", "coach", "player", "captain", "chief",
        "superintendent", "inspector", "officer", "researcher", "scientist", "expert",
    }
)  # fmt: skip
_PLACE_PREPOSITIONS = frozenset({"in", "from", "near", "across", "throughout", "outside"})
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_NAME_CHARS = re.compile(r"[A-Za-zÀ-ÿ]")


def _clean_mention(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """Strip a leading article or title and a trailing possessive, keeping the span exact."""
    for pattern in (_LEADING_THE, _HONORIFIC, _TITLE):
        match = pattern.match(text)
        if match:
            text, start = text[match.end() :], start + match.end()
    match = _POSSESSIVE.search(text)
    if match and match.start() > 0:
        end -= len(text) - match.start()
        text = text[: match.start()]
    if "\n" in text or not _NAME_CHARS.search(text):
        return None  # runs across a line break (a heading glued to a paragraph): not a name
    return text.strip(), start, end


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(name.casefold().replace("-", " ").split())


def extract_entities(doc: Doc, text: str, sentence_at: Callable[[int], int]) -> list[Entity]:
    """Entities of one article (`text` is `doc.text`), each with its mentions and canonical name."""
    raw: list[tuple[Mention, str]] = []
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        cleaned = _clean_mention(ent.text, ent.start_char, ent.end_char)
        if cleaned is None:
            continue
        name, start, end = cleaned
        label = ent.label_
        role = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if label == "PERSON" and len(ent) == 1 and role in _PLACE_PREPOSITIONS:
            label = "GPE"  # `from Kiev`: the small model often calls a lone capital a person
        if _TITLE.match(ent.text) or _HONORIFIC.match(ent.text) or (role in _ROLE_WORDS and " " in name):
            label = "PERSON"  # `Mayor Masuhiro Izumiya`, `Mr Zelensky`: a person whatever the model says
        raw.append((Mention(text=name, start=start, end=end, sentence=sentence_at(start)), label))
    raw.extend(_missed_surnames(doc, len(text), raw, sentence_at))
    raw.sort(key=lambda item: item[0].start)
    return link_mentions(raw)


def _missed_surnames(
    doc: Doc, length: int, raw: list[tuple[Mention, str]], sentence_at: Callable[[int], int]
) -> list[tuple[Mention, str]]:
    """Mentions of a known person's surname that the model did not tag (`Zelenskiy, however, said`)."""
    surnames = {m.text.split()[-1] for m, label in raw if label == "PERSON" and len(m.text.split()) >= 2}
    if not surnames:
        return []
    covered = [False] * (length + 1)
    for m, _ in raw:
        for i in range(m.start, m.end):
            covered[i] = True
    found: list[tuple[Mention, str]] = []
    for token in doc:
        # Case-sensitive, whatever the tagger says (`Mahomes` comes out as a plural noun).
        if token.text in surnames and not covered[token.idx]:
            start = token.idx
            found.append((Mention(token.text, start, start + len(token.text), sentence_at(start)), "PERSON"))
    return found


def _person_full_names(raw: list[tuple[Mention, str]]) -> dict[str, str]:
    """Last-word (surname) -> full multi-word PERSON name, for surnames that identify one person."""
    by_surname: dict[str, set[str]] = {}
    for mention, label in raw:
        words = mention.text.split()
        last = _tokens(words[-1]) if label == "PERSON" and len(words) >= 2 else ()
        if last:  # a trailing punctuation-only word (`John .`) has no tokens
            by_surname.setdefault(last[0], set()).add(mention.text)
    full: dict[str, str] = {}
    for surname, names in by_surname.items():
        # Names that extend one another (`Abu Hatab`, `Walid Abu Hatab`) are one person: keep the
        # longest, which contains all the others' words; two different first names stay ambiguous.
        longest = max(names, key=lambda n: (len(_tokens(n)), n))
        if all(set(_tokens(n)) <= set(_tokens(longest)) for n in names):
            full[surname] = longest
    return full


def link_mentions(raw: list[tuple[Mention, str]]) -> list[Entity]:
    """Group mentions into entities: identical names, and short person names with their full name."""
    full_names = _person_full_names(raw)
    groups: dict[str, list[tuple[Mention, str]]] = {}
    order: list[str] = []
    for mention, label in raw:
        words = _tokens(mention.text)
        key = mention.text.casefold()
        if words and words[-1] in full_names:
            full = full_names[words[-1]]
            full_words = _tokens(full)
            # `Blinken`, `Antony Blinken`, but not `Hunter Biden` when the full name is `Joe Biden`.
            if set(words) <= set(full_words) and (label in ("PERSON", "ORG", "GPE") or len(words) > 1):
                key = full.casefold()
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((mention, label))
    entities: list[Entity] = []
    full_keys = {f.casefold() for f in full_names.values()}
    for key in order:
        members = groups[key]
        labels = Counter(label for _, label in members)
        label = "PERSON" if key in full_keys else labels.most_common(1)[0][0]
        place = labels["GPE"] + labels["LOC"]
        if label == "PERSON" and place and " " not in key:
            # A one-word "person" also read as a place (`from Kiev`): people in news are introduced
            # by full name, so a bare word seen as a place is a place.
            label = "GPE" if labels["GPE"] >= labels["LOC"] else "LOC"
        names = Counter(m.text for m, _ in members)
        canonical = max(names, key=lambda n: (len(n.split()), names[n], n))
        entities.append(Entity(canonical=canonical, label=label, mentions=[m for m, _ in members]))
    return entities
