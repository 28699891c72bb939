"""Direct quotations and who said them.

Quoted segments are found from the quote marks themselves (straight and curly, double and single),
paragraph by paragraph. A segment's speaker comes, in order of trust, from

1. the reporting verb that governs the quoted words in the parse (`"...," Blinken said`,
   `Stoltenberg said that "tens of thousands" ...`, `hailed the trip as "..."`), whose subject names
   the speaker; past a verb with no subject of its own to the reporting verb above it;
2. a reporting verb right after the quote, or before it when a colon introduces the quote
   (`Blinken told a news conference: "..."`), for sentences the parser gets wrong;
3. a source named without a verb: `Blinken: "..."` opening a paragraph, `according to X` in the
   quote's sentence;
4. continuation: an unattributed quote right after an attributed one in the same paragraph, or a
   paragraph that is all quote right after a paragraph that ends with an attributed quote;
5. a quote the rules leave open goes to a small trained chooser (`speakers.py`) that scores the
   plausible speakers nearby (descriptions such as `a senior official` included) and names the best
   one only when its score clears a threshold chosen on cross-validation for precision.

The subject is read through the parse's usual misreadings: a name after the verb right after the
quote (`"...," admitted Rodri`), a name set beside the subject (`Vidir Reynisson` of `the head of ...,
Vidir Reynisson, told`), a name before the verb past a short aside (`Starmer, 61, told`), a participle
taken for the subject (`Commenting on the cut, X said`), a participle's clause subject (`..., adding`),
a surname the entity model mislabelled (`Nolan told`), a name it took for a body or missed whose
first word is a given name (`Berit Reiss-Andersen` tagged ORG), a long subject between the closing
mark and the verb (`"...," evacuated resident Jon Gauti Dagbjartsson told`), a closing mark with its
comma lost (`childhood" Downey said`). A subject that is a pronoun (`he said`) is
resolved to the nearest person named as a subject (or a passive's agent) in the preceding sentences,
only when that choice is unambiguous and the title or given name does not say otherwise; `it said` to
the body named as subject just before. A description subject stands for the one person the article
gave its title (`the minister said` after `Foreign Minister Sergei Lavrov`); any other subject that
names no one (`officials said`) leaves the speaker None (see `KEEP_DESCRIPTIONS`). A wrong speaker is
worse than none.

The quotes of the article's title and of its subheads (`title_quotes`) are kept apart
(`Annotations.title_quotes`, `place` "title" / "heading"), their speaker taken only from what the body
attributes.

A run of title-case words in marks (`"Good Morning America"`, `'Everything Everywhere All At Once'`:
every word capitalised but small function words) names a show, a work or a slogan; it is kept as a
quote but never given a speaker (`is_work_title`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from storyline.annotate.records import Annotations, Entity, Quote
from storyline.text import COMMON_FUNCTION_WORDS, stem, words

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.tokens import Doc, Token

    from storyline.article import Heading

_BASE_CUES = (
    "say tell add state ask explain warn insist note declare tweet post recall reply respond stress suggest "
    "acknowledge admit argue claim continue vow announce comment remark urge demand press pledge promise "
    "predict conclude confirm deny complain concede assert emphasize emphasise call describe caution express "
    "lament answer recollect muse counter retort exclaim joke quip recount "
    "question estimate report testify write speak agree repeat reiterate observe maintain clarify reveal "
    # Verbs that report by judging or naming what was said (`hailed the trip as "..."`).
    "hail label term dub brand request praise condemn welcome criticise criticize blame accuse thank"
)
_IRREGULAR = {"said", "told", "wrote", "written", "spoke", "spoken"}


def _inflections(verb: str) -> set[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    forms = {verb, verb + "s", stem + "ed", stem + "ing"}
    if verb.endswith("y") and verb not in ("say", "pray"):
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if verb.endswith(("s", "sh", "ch")):
        forms.add(verb + "es")
    if len(verb) >= 3 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}  # `admitted` (a spare form is harmless)
    return forms


#: Reporting verbs in every inflection: a small table instead of running spaCy's lemmatizer.
CUE_FORMS = frozenset(set().union(*(_inflections(v) for v in _BASE_CUES.split())) | _IRREGULAR)
_REPORTING_TAGS = frozenset({"VBD", "VBZ", "VBP", "VBG", "VBN"})
#: Reporting verbs whose following name is the speaker (`said Zelensky`), unlike `told Mayer`, whose
#: object is the one spoken to.
_INVERTING = frozenset(
    {"said", "wrote"}.union(
        *(_inflections(verb) for verb in ("say", "add", "write", "explain", "note", "continue", "recall"))
    )
)
#: Reporting verbs whose object is the one spoken to, never the speaker.
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
_ADDRESSING = frozenset().union(*(_inflections(v) for v in ("tell", "ask", "urge", "press", "answer"))) | {"told"}
#: Parts of speech a short noun phrase is made of (`one resident`, `a senior official`).
_NOUN_PHRASE_POS = frozenset({"DET", "ADJ", "NUM", "NOUN", "PROPN", "PART"})
#: Whether the rules name a speaker from a description subject. A definite singular one (`the minister`,
#: `Russia's foreign minister`) always stands for the one person the article titled so before it
#: (`Foreign Minister Sergei Lavrov`; `_Context.titled`). With this flag, an indefinite one (`a
#: spokesman for ...`, `one resident`, `forecasters`) that is the reporting verb's own subject, in an
#: article that gives nobody its title, is also kept as written. Off: on dev2-tune it lifts speaker
#: recall 0.763 -> 0.836 at precision 0.982 -> 0.984 (description recall 0.067 -> 0.533), but on
#: dev2-check speaker precision fell 0.959 -> 0.940 with recall unchanged (those quotes are labelled
#: with names given elsewhere), as an earlier, looser form did (0.953 -> 0.911): it is fitted to tune's
#: labels. The trained chooser (`speakers.py`) sees these candidates instead.
KEEP_DESCRIPTIONS = False
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_INDEFINITE = frozenset({"a", "an", "one", "another", "some", "several", "many", "two", "three"})
#: What a description leaves out of its subject's words: clauses and asides hung on it.
_DESCRIPTION_DROP = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj", "advcl"})
_OBJECT_PRONOUNS = {"him": "he", "her": "she"}
_PERSONAL = {"he": "PERSON", "she": "PERSON"}
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PERSON_ONLY = frozenset({"PERSON"})
# `>` and `<`: text pasted with its markup left in (`</p><p>"A black day" read ...`).
_OPENERS_BEFORE = set(" \t\n([{—–-/>")
_CLOSERS_AFTER = set(" \t\n.,;:!?)]}—–-/…<")
#: How many tokens from a quote its governing reporting verb may be.
_GOVERNING_REACH = 40
#: How many words an aside between a name and its verb may have (`Starmer, 61, told`).
_ASIDE_WORDS = 4
#: How many sentences back `it` may look for the body it stands for.
_IT_WINDOW = 2
#: How many characters of the reporter's words may part a quote from the attributed one it continues
#: in the same paragraph (`"...," Murphy said as he accepted his award from ... . "Thank you ..."`).
_SAME_PARAGRAPH_GAP = 250
#: How many tokens a speaker's noun phrase between a quote and its reporting verb may have.
_SUBJECT_REACH = 20
#: How many sentences back a pronoun may look for its person.
_PRONOUN_WINDOW = 3
#: How many sentences back at most, counting the ones that name no one (all-quote sentences).
_PRONOUN_REACH = 8


@dataclass
class _Segment:
    start: int  # offset of the opening mark
    end: int  # offset just past the closing mark (or the paragraph's end when left open)
    closed: bool


def _is_opener(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _OPENERS_BEFORE or before in "\"“‘'") and not after.isspace()


def _is_closer(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after in _CLOSERS_AFTER or after in "\"”’'")


def find_segments(text: str) -> list[_Segment]:
    """Quoted segments, one paragraph (line) at a time; a quote left open runs to its paragraph's end."""
    segments: list[_Segment] = []
    offset = 0
    for line in text.split("\n"):
        segments.extend(_segments_in_line(line, offset))
        offset += len(line) + 1
    return segments


def _segments_in_line(line: str, offset: int) -> list[_Segment]:
    result: list[_Segment] = []
    open_at: int | None = None
    open_mark = ""
    for i, ch in enumerate(line):
        if ch not in "\"“”‘’'":
            continue
        double = ch in '"“”'
        if open_at is None:
            if ch == "”" and not line[:i].strip() and len(line) - i > 2:
                # `” Although the market ...`: a paragraph opening with a closing mark opens a quote (the
                # mark typed the wrong way round, or moved off the end of the paragraph before).
                open_at, open_mark = i, "“"
                continue
            # Single marks double as apostrophes: only a clear opener (after a space) starts a quote.
            if ch in "“‘" or (ch in "\"'" and _is_opener(line, i)):
                if ch in "‘'" and i + 1 < len(line) and not line[i + 1].isalpha():
                    continue
                open_at, open_mark = i, ch
            continue
        same_kind = double == (open_mark in '"“”')
        if same_kind and ch not in "“‘" and _is_closer(line, i):
            if i - open_at > 1:
                result.append(_Segment(offset + open_at, offset + i + 1, closed=True))
            open_at = None
        elif same_kind and ch in "“‘" and open_mark in "“‘":
            open_at = i  # a new curly opener before any closer: the first mark was stray
    # A quote left open at the paragraph's end runs over into the next paragraph (news reopens it
    # there). A single curly mark counts only when it opens a statement (`said: ‘...`, a paragraph
    # that starts with it): elsewhere a lone ‘ is more likely a stray apostrophe.
    single_opens = open_mark == "‘" and open_at is not None and (not line[:open_at].strip() or
                                                               line[:open_at].rstrip().endswith(":"))
    if open_at is not None and (open_mark in '"“' or single_opens) and len(line) - open_at > 2:
        end = len(line.rstrip())
        result.append(_Segment(offset + open_at, offset + end, closed=False))
    return result


class _Context:
    """Token-level lookups shared by all quotes of one article (built once, linear in the text)."""

    def __init__(self, doc: Doc, text: str, entities: list[Entity], segments: list[_Segment]) -> None:
        from spacy.attrs import IDX

        self.doc = doc
        self.text = text
        self.starts = doc.to_array(IDX).tolist() if len(doc) else []
        # (first, end) token indices of each token's sentence: `Token.sent` rescans the document.
        self.sent_of: list[tuple[int, int]] = [(0, 0)] * len(doc)
        for sent in doc.sents:
            bounds = (sent.start, sent.end)
            for i in range(sent.start, sent.end):
                self.sent_of[i] = bounds
        self.in_quote = [False] * len(doc)
        for seg in segments:
            for i in range(self.token_at(seg.start), self.token_at(max(seg.end - 1, seg.start)) + 1):
                if seg.start <= doc[i].idx < seg.end:
                    self.in_quote[i] = True
        self.organisations = [e for e in entities if e.label == "ORG" and len(e.canonical.split()) >= 2]
        self.persons = [e for e in entities if e.label == "PERSON"]
        self.person_named = {e.canonical: e for e in self.persons}
        self.entity_of: list[Entity | None] = [None] * len(doc)
        self.mention_span: list[tuple[int, int] | None] = [None] * len(doc)
        self._titles: dict[str, list[tuple[int, Entity, frozenset[str]]]] | None = None
        for entity in entities:
            for m in entity.mentions:
                for i in range(self.token_at(m.start), self.token_at(m.end - 1) + 1):
                    self.entity_of[i] = entity
                    self.mention_span[i] = (m.start, m.end)

    def token_at(self, char: int) -> int:
        return max(bisect_right(self.starts, char) - 1, 0)

    def _title_index(self) -> dict[str, list[tuple[int, Entity, frozenset[str]]]]:
        """Every title the article gives a named person, outside quotes, by its head noun
        (stemmed): the noun set beside the name in the parse (`Foreign Minister Sergei Lavrov` as a
        compound, `Lavrov, Russia's foreign minister` or `the minister, Lavrov` as an apposition),
        with the words that qualify it (`foreign`, `russia`). Built on first use: most articles have
        no description speaker."""
        if self._titles is None:
            self._titles = {}
            for tok in self.doc:
                if self.in_quote[tok.i] or tok.pos_ not in ("NOUN", "PROPN"):
                    continue
                named = self._named_beside(tok)
                if named is not None:
                    words = frozenset(_qualifiers(tok, self, exclude=named))
                    self._titles.setdefault(_title_key(tok.lower_), []).append((tok.i, named, words))
        return self._titles

    def _named_beside(self, tok: Token) -> Entity | None:
        if self.entity_of[tok.i] is not None:
            return None  # a word of a name (`Ron` of Ron DeSantis, `Hurricane` of a centre's) is no title
        if tok.dep_ in ("compound", "appos") and tok.head.i != tok.i:
            entity = self.entity_of[tok.head.i]
            if entity is not None and entity.label in _TITLE_LABELS:
                return entity
        for child in tok.children:
            entity = self.entity_of[child.i]
            if child.dep_ == "appos" and entity is not None and entity.label in _TITLE_LABELS:
                return entity
        return None

    def titles_of(self, token: Token) -> list[tuple[int, Entity, frozenset[str]]]:
        """The titles given anywhere in the article whose head noun is `token`'s (`officials` counts
        `official X`)."""
        return self._title_index().get(_title_key(token.lower_), [])

    def titled(self, token: Token) -> list[Entity]:
        """The persons a definite singular description (`the minister`, `the Russian
        minister`, `Russia's foreign minister`) may stand for: those given, before it, a title with
        its head noun and every word that qualifies it (`Foreign Minister Sergei Lavrov` for `the
        minister` and `the foreign minister`, not for `the interior minister`)."""
        if token.tag_ != "NN" or not _is_definite(token):
            return []
        wanted = _qualifiers(token, self)
        found: dict[str, Entity] = {}
        for i, entity, given in self.titles_of(token):
            if i < token.i and all(any(_same_word(w, t) for t in given) for w in wanted):
                found[entity.canonical] = entity
        return list(found.values())


#: What a title may be given to: a person (a body's short name is `_organisation_named_by`'s; a noun set
#: beside a body's name is as often what it did: `the crash, Ethiopian Airlines Flight 302`).
_TITLE_LABELS = frozenset({"PERSON"})
_QUALIFYING = frozenset({"amod", "compound", "poss", "nmod"})


#: Titles news shortens before a name (`Gov. Ron DeSantis` is the governor).
_TITLE_ABBREVIATIONS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "pres": "president", "gen": "general",
    "col": "colonel", "lt": "lieutenant", "sgt": "sergeant", "supt": "superintendent", "insp": "inspector",
    "prof": "professor", "dr": "doctor", "amb": "ambassador", "sec": "secretary", "capt": "captain",
}  # fmt: skip


def _title_key(word: str) -> str:
    """The key a title noun is filed under: its singular, a short form spelled out (`gov.`)."""
    key = stem(word, inflections=False).rstrip(".")
    return _TITLE_ABBREVIATIONS.get(key, key)


def _qualifiers(token: Token, ctx: _Context, exclude: Entity | None = None) -> list[str]:
    """The words that qualify a noun (`foreign`, `russia` of `Russia's foreign minister`; `lee`,
    `county` of `the Lee County sheriff`): its modifiers' words, and for a title set before a name
    (`Russian Foreign Minister Sergei Lavrov`, parsed as compounds of the name) the name's other
    modifiers before it; never words of the name `exclude` itself."""
    mods = [c for c in token.children if c.dep_ in _QUALIFYING]
    if exclude is not None and token.dep_ == "compound":
        mods += [c for c in token.head.children if c.dep_ in ("amod", "compound") and c.i < token.i]
    out: list[str] = []
    for mod in mods:
        for tok in mod.subtree:
            if tok.is_alpha and not ctx.in_quote[tok.i] and (exclude is None or ctx.entity_of[tok.i] is not exclude):
                out.append(tok.lower_)
    return out


def _same_word(wanted: str, given: str) -> bool:
    # `russian` of the description meets `russia` of the title, and the other way round.
    if wanted == given:
        return True
    return min(len(wanted), len(given)) >= 4 and (wanted.startswith(given) or given.startswith(wanted))


_TITLE_GENDER = {"mr": "he", "sir": "he", "lord": "he", "mrs": "she", "ms": "she", "miss": "she", "dame": "she",
                 "lady": "she"}  # fmt: skip


@lru_cache(maxsize=1)
def _detector() -> Any:
    import gender_guesser.detector as gender_guesser  # a name list shipped in the package

    return gender_guesser.Detector(case_sensitive=False)


def given_name_gender(name: str) -> str | None:
    """`he`/`she` for a given name that gender-guesser's list knows as (mostly) male or female."""
    guess = _detector().get_gender(name)
    return {"male": "he", "mostly_male": "he", "female": "she", "mostly_female": "she"}.get(guess)


def person_gender(entity: Entity, text: str) -> str | None:
    """`he`, `she` or None for a person: from a courtesy title the article puts before a mention
    (`Mr`, `Ms`), else from the given name of a full name; None when unclear."""
    for m in entity.mentions:
        before = text[max(m.start - 6, 0) : m.start].split()
        title = before[-1].rstrip(".").casefold() if before else ""
        if title in _TITLE_GENDER:
            return _TITLE_GENDER[title]
    return given_name_gender(entity.canonical.split()[0])


def _is_according_to(token: Token) -> bool:
    """`according to X` (`according to Directorate of Air Transport spokesman X`): X is named as a
    source. Read from the words, not the parse, which often loses such long titles."""
    doc = token.doc
    for i in range(token.i - 1, max(token.i - 10, 1) - 1, -1):
        word = doc[i]
        if word.lower_ == "to" and doc[i - 1].lower_ == "according":
            return True
        if word.lower_ == "per" and word.pos_ == "ADP" and word.dep_ == "prep":
            return True  # `per an Icelandic Met Office post`, `per the AP`: news shorthand for the same
        if word.pos_ in ("VERB", "AUX") or word.text in (".", ";", ":") or word.is_space:
            return False
    return False


def _is_cue(token: Token) -> bool:
    """A reporting verb that reports: not an infinitive or future (`to reiterate`, `will say`)."""
    return token.tag_ in _REPORTING_TAGS and token.lower_ in CUE_FORMS


def _subject(verb: Token, ctx: _Context) -> Token | None:
    """The subject of a reporting verb (through `and`/`but` conjunctions), or the inverted `said X`."""
    for _ in range(3):
        adjacent = _person_before(verb, ctx)
        for child in verb.children:
            if child.dep_ == "nsubj" and not ctx.in_quote[child.i] and child.pos_ == "VERB":
                # `Commenting on the cut, Philip Nothard, ..., said`: a participle taken for the subject.
                for grandchild in child.children:
                    entity = ctx.entity_of[grandchild.i]
                    if grandchild.dep_ == "nsubj" and entity is not None and entity.label == "PERSON":
                        return grandchild
            if child.dep_ == "nsubj" and not ctx.in_quote[child.i]:
                # `..., the carrier's CEO X told journalists`: a misparse may pick a far-off word as
                # the subject while a person's name sits right before the verb.
                if adjacent is not None and ctx.entity_of[child.i] is None and child.lower_ not in _PERSONAL:
                    return adjacent
                return child
        if any(child.dep_ == "nsubjpass" for child in verb.children):
            return None  # `was declared`: the subject is not the one speaking
        inverted = _inverted_subject(verb, ctx)
        if inverted is not None:
            return inverted
        rights = verb.rights if verb.lower_ in _INVERTING else ()
        for child in rights:  # `said Zelensky`: the parser may call the name an object
            entity = ctx.entity_of[child.i]
            named = entity is not None and entity.label == "PERSON"
            if child.dep_ in ("dobj", "attr", "npadvmod", "appos") and named and not ctx.in_quote[child.i]:
                return child
        for child in verb.lefts:  # `X, asked about Y, said`: the parser may hang X on the aside
            if child.dep_ in ("ccomp", "advcl", "parataxis") and not ctx.in_quote[child.i]:
                for grandchild in child.children:
                    entity = ctx.entity_of[grandchild.i]
                    if grandchild.dep_ == "nsubj" and entity is not None and entity.label == "PERSON":
                        return grandchild
        if adjacent is not None and not ctx.in_quote[adjacent.i]:
            return adjacent  # the parser lost the subject altogether
        # A participle (`..., adding "..."`) takes the subject of the clause it hangs on.
        participle = verb.tag_ in ("VBG", "VBN") and verb.dep_ not in ("relcl", "acl", "amod", "ROOT")
        if (verb.dep_ in ("conj", "xcomp", "advcl") or participle) and verb.head is not verb:
            verb = verb.head
            continue
        return None
    return None


def _person_before(verb: Token, ctx: _Context) -> Token | None:
    """A person named right before a verb (`X told`), also past a short aside between commas
    (`Starmer, 61, told`): the subject when the parse loses it."""
    doc = ctx.doc
    i = verb.i - 1
    if i >= 0 and doc[i].text == ",":
        # Back over `, 61,` to the word before the aside's opening comma.
        j = i - 1
        while j >= 0 and i - j <= _ASIDE_WORDS and doc[j].text != "," and not ctx.in_quote[j]:
            j -= 1
        i = j - 1 if j >= 0 and doc[j].text == "," and i - j > 1 else -1
    if i < 0 or ctx.in_quote[i]:
        return None
    entity = ctx.entity_of[i]
    return doc[i] if entity is not None and entity.label == "PERSON" else None


def _inverted_subject(verb: Token, ctx: _Context) -> Token | None:
    """`"...," admitted Rodri` / `"...," said one resident`: a reporting verb right after the quote's
    closing mark, followed by a name or a noun phrase, has its speaker after it whatever the parse says
    (verbs of telling and asking excepted: `told Mayer` names the one spoken to)."""
    doc = ctx.doc
    if verb.lower_ in _ADDRESSING or verb.i + 1 >= len(doc) or any(c.dep_ == "nsubj" for c in verb.children):
        return None
    i = verb.i - 1
    while i >= 0 and not ctx.in_quote[i] and doc[i].is_punct:
        i -= 1
    if i < 0 or not ctx.in_quote[i] or (i == verb.i - 1 and not doc[i].is_punct):
        return None  # not right after a quote's closing mark
    first = doc[verb.i + 1]
    if ctx.in_quote[first.i]:
        return None
    entity = ctx.entity_of[first.i]
    if entity is not None:
        return first if entity.label in _SPEAKER_LABELS else None
    # A noun phrase: its head is the last noun before the first word that cannot be part of it.
    head: Token | None = None
    for tok in doc[verb.i + 1 : min(verb.i + 8, len(doc))]:
        if ctx.in_quote[tok.i] or tok.pos_ not in _NOUN_PHRASE_POS:
            break
        if tok.pos_ in ("NOUN", "PROPN"):
            head = tok
    return head if head is not None and head.pos_ == "NOUN" else None


def _name_of(token: Token, ctx: _Context, verb: Token | None = None) -> tuple[str, int, int, str] | None:
    """Who a subject token stands for: the canonical name (or a description as written), the span of
    the words naming it, and its kind (`person`, `organization`, `description`)."""
    # The subject itself may be any named speaker; a word attached to it (`spokesman John Smith`,
    # `the U.S. diplomat`) only when it names a person.
    candidates = [(token, _SPEAKER_LABELS)]
    # `Berit Reiss-Andersen, chair of ..., said` parsed with the name hung on `chair` (`nmod`).
    candidates += [(c, _PERSON_ONLY) for c in token.children if c.dep_ in ("appos", "compound", "nmod")]
    for tok, labels in candidates:
        entity = ctx.entity_of[tok.i]
        if entity is not None and entity.label in labels:
            span = ctx.mention_span[tok.i]
            assert span is not None
            return _body_name(entity, ctx, span[0]), span[0], span[1], _kind_of(entity)
    apposed = apposed_person(token, ctx)
    if apposed is not None:
        return apposed
    if token.pos_ == "PROPN":
        return _person_by_surname(token, ctx) or person_like(token, ctx) or _bare_name(token, ctx)
    alias = _organisation_named_by(token, ctx)
    if alias is not None:
        return alias
    if token.pos_ == "NOUN" and _finite(verb if verb is not None else token.head):
        text, start, end = description(token, ctx)
        # The article may give the name the description stands for (`spokesman Zabihullah Mujahid`,
        # `Foreign Minister Sergei Lavrov` then `the minister said`): that name is the speaker.
        titled = ctx.titled(token)
        if len(titled) == 1:
            named = titled[0]
            return named.canonical, start, end, _kind_of(named)
        # `a senior official`, `forecasters`: someone the article does not name, kept as written. Only
        # as the verb's own subject (`fans` of `the fans received ... but blamed` is the other verb's),
        # and only when the article gives nobody that title (`a spokesman` where `spokesman X` spoke).
        own = verb is None or token.head.i == verb.i
        if KEEP_DESCRIPTIONS and own and not ctx.titles_of(token) and _is_indefinite(token) and not _is_definite(token):
            return text, start, end, "description"
    return None


def _is_definite(token: Token) -> bool:
    """`the Tory leader`, `the U.N. agency`, `France's interior minister`: a definite description, the
    way news refers to one it names elsewhere (the speaker is that name, not the description)."""
    return any((c.dep_ == "det" and c.lower_ in _DEFINITE) or c.dep_ == "poss" for c in token.children)


def _is_indefinite(token: Token) -> bool:
    """`a spokesman for ...`, `one resident`, `another individual`, `forecasters`: a description that
    introduces someone the article does not name (an indefinite article or number, or a bare plural)."""
    determiners = [c for c in token.children if c.dep_ in ("det", "nummod")]
    if any(c.lower_ in _INDEFINITE for c in determiners):
        return True
    return not determiners and token.tag_ == "NNS"


def _finite(verb: Token) -> bool:
    """A verb that makes a clause of its own (`said`, `has said`), not a participle (`..., saying`), whose
    subject in the parse is more often a misreading than the speaker."""
    return verb.tag_ in ("VBD", "VBZ", "VBP") or any(c.dep_ == "aux" for c in verb.children)


def _kind_of(entity: Entity) -> str:
    return "person" if entity.label == "PERSON" else "organization"


def apposed_person(token: Token, ctx: _Context) -> tuple[str, int, int, str] | None:
    """`the head of Iceland's Civil Protection, Vidir Reynisson, told`: a person set beside a
    description anywhere inside it names the speaker."""
    # Only close to the head: a misparse can hang a whole paragraph under one noun.
    for tok in ctx.doc[max(token.left_edge.i, token.i - 12) : min(token.right_edge.i, token.i + 12) + 1]:
        if tok.i != token.i and not token.is_ancestor(tok):
            continue
        entity = ctx.entity_of[tok.i]
        if tok.dep_ != "appos" or ctx.in_quote[tok.i]:
            continue
        if entity is not None and entity.label == "PERSON":
            span = ctx.mention_span[tok.i]
            assert span is not None
            return entity.canonical, span[0], span[1], "person"
        if (person := person_like(tok, ctx)) is not None:
            return person
    return None


def person_like(token: Token, ctx: _Context) -> tuple[str, int, int, str] | None:
    """A proper noun the entity model took for a body or missed (`Berit Reiss-Andersen` tagged ORG) that
    reads as a person's name: two to four capitalised words, the first a given name that
    gender-guesser's list knows. Only where the parse already puts it as the speaker (a reporting
    verb's subject, a name set beside it): the name alone would not make a person."""
    if token.pos_ != "PROPN":
        return None
    entity = ctx.entity_of[token.i]
    if entity is not None and entity.label == "PERSON":
        return None
    if entity is not None:
        span = ctx.mention_span[token.i]
        assert span is not None
        start, end = span
    else:
        names = [t for t in token.subtree if t.i <= token.i and (t.dep_ == "compound" or t.i == token.i)]
        first, _ = contiguous_around(token, names)
        start, end = ctx.doc[first].idx, token.idx + len(token.text)
    written = ctx.text[start:end]
    return (written, start, end, "person") if _reads_as_name(written, fewest=2) else None


def _reads_as_name(written: str, fewest: int) -> bool:
    """`fewest` to four capitalised words, the first a given name gender-guesser's list knows: a
    mention the entity model took for something else that reads as a person's name."""
    parts = written.split()
    return (
        fewest <= len(parts) <= 4
        and all(p[:1].isupper() for p in parts)
        and given_name_gender(parts[0]) is not None
    )


def _bare_name(token: Token, ctx: _Context) -> tuple[str, int, int, str] | None:
    """A proper noun the entity model left unlabelled (`Erdogan said`) as the subject of the reporting
    verb of a quote: the parse, not the label, makes it the speaker. Its words as written (with the
    names compounded on it), capitalised, none of them inside the quote."""
    if ctx.entity_of[token.i] is not None or ctx.in_quote[token.i]:
        return None
    if any(c.dep_ in ("det", "poss") for c in token.children) or (len(token.text) > 1 and token.text.isupper()):
        return None  # `the Prime Minister`, `the PAHO Director`, `RTX`: a title or an acronym, not a name
    names = [t for t in token.children if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i < token.i]
    first, _ = contiguous_around(token, [token, *names])
    words_ = ctx.doc[first : token.i + 1]
    if not all(t.text[:1].isupper() and t.pos_ == "PROPN" and not ctx.in_quote[t.i] for t in words_):
        return None
    start, end = words_[0].idx, token.idx + len(token.text)
    return ctx.text[start:end], start, end, "person"


def _nmod_person(token: Token, ctx: _Context) -> str | None:
    """`Berit Reiss-Andersen, chair of ...` parsed with the name hung on `chair` as a modifier."""
    for child in token.children:
        entity = ctx.entity_of[child.i]
        if child.dep_ in ("nmod", "compound") and entity is not None and entity.label == "PERSON":
            return entity.canonical
    return None


def _person_by_surname(token: Token, ctx: _Context) -> tuple[str, int, int, str] | None:
    """`Nolan told the audience` where the model took `Nolan` for something else (or for nothing): a
    proper-noun subject that is the last word of exactly one person named in the article is that person."""
    entity = ctx.entity_of[token.i]
    span = ctx.mention_span[token.i] or (token.idx, token.idx + len(token.text))
    written = ctx.text[span[0] : span[1]]
    key = written.casefold().split()
    names = set()
    for person in ctx.persons:
        full = [w for w in person.canonical.casefold().split() if w.rstrip(".") not in _GENERATIONS]
        # `Downey` of Robert Downey Jr, `Lee Curtis` of Jamie Lee Curtis.
        if len(full) > len(key) and full[-len(key) :] == key:
            names.add(person.canonical)
    if len(names) != 1 or (entity is not None and entity.label == "PERSON"):
        return None
    return names.pop(), span[0], span[1], "person"


def contiguous_around(token: Token, kept: list[Token]) -> tuple[int, int]:
    """The first and last index of the unbroken run of `kept` tokens around `token` (a far word hung on
    it by a misparse is left out)."""
    first = min(t.i for t in kept)
    last = max(t.i for t in kept)
    indices = {t.i for t in kept}
    while first < token.i and any(i not in indices for i in range(first, token.i)):
        first += 1
    while last > token.i and any(i not in indices for i in range(token.i + 1, last + 1)):
        last -= 1
    return first, last


def description(token: Token, ctx: _Context) -> tuple[str, int, int]:
    """The words of a noun subject as written (`a senior State Department official`, `one resident in
    Marrakesh`), without relative clauses, asides or conjuncts: a speaker the article does not name."""
    def keeps(child: Token) -> bool:
        # `testimonials obtained by EMSC`, `the 15-year-old`: a participle clause and a hyphen are
        # part of the description.
        if child.dep_ == "acl":
            return child.tag_ == "VBN"
        return child.dep_ not in _DESCRIPTION_DROP or child.tag_ == "HYPH"

    kept = [token]
    stack = [c for c in token.children if keeps(c)]
    while stack:
        tok = stack.pop()
        if ctx.in_quote[tok.i]:
            continue
        kept.append(tok)
        stack.extend(c for c in tok.children if keeps(c))
    first, last = contiguous_around(token, kept)
    doc = ctx.doc
    while last > token.i and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    return ctx.text[start:end], start, end


def _organisation_named_by(token: Token, ctx: _Context) -> tuple[str, int, int, str] | None:
    """`the agency said` after `the Japan Meteorological Agency (JMA) issued ...`: a definite noun that
    repeats the first or last word of exactly one organisation named earlier stands for it."""
    if token.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return None
    if any(c.dep_ in ("amod", "compound", "poss") for c in token.children):
        return None  # `the U.S. diplomat`, `the state agency`: a description, not a short name
    named = _fuller_body(token.lower_, ctx, token.idx)
    return None if named is None else (named, token.idx, token.idx + len(token.text), "organization")


def _fuller_body(word: str, ctx: _Context, before: int) -> str | None:
    """The organisation named before offset `before` whose first or last word `word` is (`bank` of the
    Bank of England, `committee` of the Norwegian Nobel Committee); of several (`bank` after the Bank
    of England and the European Central Bank), the one named most often (a mistagged `Bank Rate` is
    not the bank), then the first named."""
    head = stem(word, inflections=False)
    latest: tuple[int, int, str] | None = None
    for entity in ctx.organisations:
        if head not in {stem(entity.canonical.split()[k], inflections=False) for k in (0, -1)}:
            continue
        if "'s " in entity.canonical.replace("’", "'"):
            continue  # `BoE's Monetary Policy Committee`: a body of another, not the fuller name
        starts = [m.start for m in entity.mentions if m.start < before]
        if starts and (latest is None or (len(starts), -min(starts)) > latest[:2]):
            latest = (len(starts), -min(starts), entity.canonical)
    return None if latest is None else latest[2]


def _body_name(entity: Entity, ctx: _Context, offset: int) -> str:
    """A body's name as the speaker: a one-word name the entity model split off a fuller one (`the
    Bank` tagged apart from the Bank of England named before it) is the fuller one."""
    if entity.label != "ORG" or not _short_body_word(entity.canonical):
        return entity.canonical
    return _fuller_body(entity.canonical, ctx, offset) or entity.canonical


def _short_body_word(name: str) -> bool:
    # A common noun capitalised (`Bank`, `Agency`), not a short name of its own (`BoE`, `NHC`, `Uefa`
    # is one when no fuller name holds it).
    return " " not in name and name[:1].isupper() and name[1:].isalpha() and name[1:].islower()


class _Attributor:
    def __init__(self, ctx: _Context, sentence_at: Callable[[int], int]) -> None:
        self.ctx = ctx
        self.sentence_at = sentence_at
        # (char offset, name, sentence) of who acts in each sentence, in text order: a person named as
        # subject (or as the source in `according to X`), "" for a pronoun subject (it continues the
        # person before it), "?" for someone unnamed who speaks (`an eyewitness told`) or a name the
        # model did not recognise (`Mahomes, who ..., is`): both block the search.
        self.subjects: list[tuple[int, str, int]] = []
        # (sentence, offset) of every person mention outside quotes.
        self.persons: list[tuple[int, int]] = []
        # Sentences holding `him` / `her` as an object, by the subject pronoun of the same gender.
        self.object_pronouns: dict[str, set[int]] = {"he": set(), "she": set()}
        self._genders: dict[str, str | None] = {}
        # (char offset, name, sentence) of each organisation named as a subject, for `it said`.
        self.bodies: list[tuple[int, str, int]] = []
        # Offsets of the persons above that are the subject of their sentence's main verb.
        self.main_subjects: set[int] = set()
        # (char offset, name, sentence) of every person mention outside quotes.
        self.person_names: list[tuple[int, str, int]] = []
        for token in ctx.doc:
            if ctx.in_quote[token.i]:
                continue
            entity = ctx.entity_of[token.i]
            # Most tokens are none of the cases below: the sentence is looked up for those that are.
            if entity is not None and entity.label == "PERSON":
                self.persons.append((sentence_at(token.idx), token.idx))
                self.person_names.append((token.idx, entity.canonical, self.persons[-1][0]))
                # `That was echoed by Deanne Criswell`: the agent of a passive acts as its subject.
                agent = token.dep_ == "pobj" and token.head.dep_ == "agent"
                # `Speaking from a stage ..., Chief Executive Satya Nadella said`: a name right before a
                # reporting verb is its subject, however the parse hangs it.
                verb = ctx.doc[token.i + 1] if token.i + 1 < len(ctx.doc) else token
                before_cue = verb is not token and _is_cue(verb) and not ctx.in_quote[verb.i]
                if token.dep_ == "nsubj" or agent or _is_according_to(token) or before_cue:
                    self.subjects.append((token.idx, entity.canonical, sentence_at(token.idx)))
                    if (token.dep_ == "nsubj" and token.head.dep_ == "ROOT") or (before_cue and verb.dep_ == "ROOT"):
                        self.main_subjects.add(token.idx)
            elif (entity is not None and token.dep_ == "nsubj" and token.pos_ == "PROPN" and _is_cue(token.head)
                  and (given := self._given_name(token)) is not None):
                # `Harry said` with `Harry` tagged a place: a given name speaking is a person.
                self.subjects.append((token.idx, given, sentence_at(token.idx)))
                if token.head.dep_ == "ROOT":
                    self.main_subjects.add(token.idx)
            elif (entity is not None and entity.label == "ORG" and token.dep_ == "nsubj" and token.pos_ == "PROPN"
                  and (person := _person_by_surname(token, ctx) or person_like(token, ctx)
                       or self._subject_by_surname(token)) is not None):
                # `Reiss-Andersen said` with the name taken for a body: a person the article names.
                self.subjects.append((token.idx, person[0], sentence_at(token.idx)))
                if token.head.dep_ == "ROOT":
                    self.main_subjects.add(token.idx)
            elif entity is not None and entity.label == "ORG" and token.dep_ == "nsubj":
                self.bodies.append((token.idx, entity.canonical, sentence_at(token.idx)))
            elif token.dep_ == "nsubj" and token.pos_ == "NOUN" and (apposed := apposed_person(token, ctx)):
                # `Berit Reiss-Andersen, chair of ..., said` / `Mr Johnson's finance minister, Nadhim
                # Zahawi, had called`: the name set beside the subject.
                self.subjects.append((token.idx, apposed[0], sentence_at(token.idx)))
            elif token.dep_ == "nsubj" and token.pos_ == "NOUN" and (named := _nmod_person(token, ctx)):
                self.subjects.append((token.idx, named, sentence_at(token.idx)))
            elif token.dep_ == "nsubj" and token.lower_ in _PERSONAL:
                self.subjects.append((token.idx, "", sentence_at(token.idx)))
            elif token.lower_ in _OBJECT_PRONOUNS and token.dep_ in ("dobj", "dative", "pobj"):
                self.object_pronouns[_OBJECT_PRONOUNS[token.lower_]].add(sentence_at(token.idx))
            elif token.dep_ == "nsubj" and token.pos_ == "NOUN" and _is_cue(token.head):
                self.subjects.append((token.idx, "?", sentence_at(token.idx)))
            elif token.dep_ == "nsubj" and token.pos_ == "PROPN":
                # A name the model missed or took for a body: a person when it is the surname of one
                # named in full; else a missed name is maybe a person (it blocks the search).
                person = _person_by_surname(token, ctx)
                if person is not None or entity is None:
                    name = person[0] if person is not None else "?"
                    self.subjects.append((token.idx, name, sentence_at(token.idx)))

    def _given_name(self, token: Token) -> str | None:
        """The name as written of a mention the entity model took for something else (`Harry` tagged
        GPE) that is one word or two to four, the first a given name gender-guesser's list knows."""
        span = self.ctx.mention_span[token.i]
        if span is None:
            return None
        written = self.ctx.text[span[0] : span[1]]
        return written if _reads_as_name(written, fewest=1) else None

    def _subject_by_surname(self, token: Token) -> tuple[str, int, int, str] | None:
        """`Reiss-Andersen said` after `Berit Reiss-Andersen, chair of ..., said`: the one person named
        as a subject so far whose last word this is (names the entity model missed included)."""
        span = self.ctx.mention_span[token.i] or (token.idx, token.idx + len(token.text))
        key = self.ctx.text[span[0] : span[1]].split()
        names = {n for _, n, _ in self.subjects if len(n.split()) > len(key) and n.split()[-len(key) :] == key}
        return (names.pop(), span[0], span[1], "person") if len(names) == 1 else None

    def resolve_pronoun(self, token: Token) -> str | None:
        """The person a `he`/`she` subject refers to: the person named as subject in the nearest
        sentence before it that names anyone (skipping sentences whose subject is itself a pronoun),
        and only when that sentence names exactly one person as subject."""
        here = self.sentence_at(token.idx)
        subjects: dict[int, set[str]] = {}
        # The first subject of each sentence, when it is this same pronoun.
        leading: dict[int, bool] = {}
        for offset, name, sentence in self.subjects:
            if offset < token.idx and sentence >= here - _PRONOUN_REACH:
                if sentence not in subjects:
                    word = self.ctx.text[offset : offset + len(token.text)].lower()
                    leading[sentence] = name == "" and word == token.lower_
                subjects.setdefault(sentence, set()).add(name)
        mentioned = {s for s, offset in self.persons if offset < token.idx}
        budget = _PRONOUN_WINDOW + 1
        for sentence in range(here, here - _PRONOUN_REACH - 1, -1):
            names = subjects.get(sentence, set())
            # Only sentences that say who acts use up the window: all-quote sentences and the pronoun
            # going on (`"...," she said. "..."`) carry her over, however many of them there are.
            if (names or sentence in mentioned) and not (sentence < here and leading.get(sentence)):
                budget -= 1
            if budget < 0:
                break
            if sentence < here and leading.get(sentence):
                continue  # `She said her co-laureates had spoken ...`: she goes on; the rest is reported
            named = names - {"", "?"}
            if "?" in names and not named:
                return None  # the last one speaking is unnamed (`an eyewitness told the BBC`)
            if named:
                if sentence in self.object_pronouns.get(token.lower_, set()):
                    return None  # `Wootton asked her. She answered`: she is not the subject
                # `Reiss-Andersen said she hoped Bialiatski would attend. "...," she said`: of the
                # subjects, those whose title or given name says otherwise are not `she`.
                agreeing = {n for n in named if self.gender(n) in (None, token.lower_)}
                if len(agreeing) > 1:
                    # `Reiss-Andersen said she hoped Bialiatski would attend`: the subject of the main
                    # verb is the one the sentence is about; the other acts in what is reported.
                    agreeing = {n for o, n, s in self.subjects if s == sentence and o in self.main_subjects
                                and o < token.idx and n in agreeing}  # fmt: skip
                return next(iter(agreeing)) if len(agreeing) == 1 else None
            if "" in names:
                continue  # `He also said ...`: the pronoun continues the person before it
            if sentence in mentioned:
                # `Among those waiting was Francine Cavanaugh, whose sister ...` then `"...," she said`: a
                # sentence before that names one person, not as its subject, whose title or given name
                # says `she`, hands the quote to her; anything less clear is not guessed.
                others = {n for o, n, s in self.person_names if s == sentence and o < token.idx}
                if sentence < here and len(others) == 1 and self.gender(next(iter(others))) == token.lower_:
                    return others.pop()
                return None
        return None

    def resolve_it(self, token: Token) -> str | None:
        """The body an `it` subject of a reporting verb stands for: the organisation named as subject in
        the nearest sentence before it (or earlier in its own) that has a named subject, when that
        sentence names exactly one body and no person as subject."""
        here = self.sentence_at(token.idx)
        for sentence in range(here, here - _IT_WINDOW - 1, -1):
            bodies = {n for o, n, s in self.bodies if s == sentence and o < token.idx}
            bodies = {_fuller_body(n, self.ctx, token.idx) or n if _short_body_word(n) else n for n in bodies}
            people = {n for o, n, s in self.subjects if s == sentence and o < token.idx and n}
            if people:
                return None
            if bodies:
                return next(iter(bodies)) if len(bodies) == 1 else None
        return None

    def gender(self, name: str) -> str | None:
        """`he`, `she` or None for the person named `name` (see `person_gender`)."""
        if name not in self._genders:
            # `Lee Curtis` after `Jamie Lee Curtis`: the given name is the fuller name's.
            words = name.split()
            fuller = [p for p in self.ctx.persons if len(p.canonical.split()) > len(words)
                      and p.canonical.split()[-len(words) :] == words]
            entity = fuller[0] if len(fuller) == 1 else self.ctx.person_named.get(name)
            self._genders[name] = person_gender(entity, self.ctx.text) if entity is not None else None
        return self._genders[name]

    def speaker_from_verb(self, verb: Token) -> tuple[str, int, int, str] | None:
        subject = _subject(verb, self.ctx)
        if subject is None:
            return None
        if subject.lower_ in _PERSONAL:
            name = self.resolve_pronoun(subject)
            if name is None:
                return None
            return name, subject.idx, subject.idx + len(subject.text), "person"
        if subject.lower_ == "it" and subject.dep_ == "nsubj":
            name = self.resolve_it(subject)
            if name is None:
                return None
            return name, subject.idx, subject.idx + len(subject.text), "organization"
        return _name_of(subject, self.ctx, verb)

    def governing_cue(self, seg: _Segment) -> Token | None:
        """The first reporting verb outside the quote among the heads above the quoted words."""
        ctx = self.ctx
        first = ctx.token_at(seg.start)
        last = ctx.token_at(max(seg.end - 1, seg.start))
        # Try the quoted words of the sentence holding the quote's end, then of its start.
        for anchor in (last, first):
            sent_start, sent_end = ctx.sent_of[anchor]
            for i in range(max(first, sent_start), min(last, sent_end - 1) + 1):
                if not ctx.in_quote[i] or ctx.doc[i].is_punct or ctx.doc[i].is_space:
                    continue
                head = ctx.doc[i]
                for _ in range(12):
                    if head.head is head:
                        break
                    head = head.head
                    if not ctx.in_quote[head.i] and _is_cue(head):
                        # A run-on "sentence" (markup, a lost full stop) can chain a quote up to a verb
                        # paragraphs away: only a verb near the quote governs it.
                        near = first - _GOVERNING_REACH <= head.i <= last + _GOVERNING_REACH
                        return head if near else None
                    if not ctx.in_quote[head.i] and head.dep_ == "ROOT":
                        # `There were "..." in one town, said X.`: the reporting verb hangs off the root.
                        for child in head.rights:
                            if child.dep_ in ("conj", "parataxis") and child.i >= last and _is_cue(child):
                                subject = _subject(child, ctx)
                                if subject is not None and subject.i > child.i:  # inverted: `said X`
                                    return child
                        break
                break  # one quoted word per sentence is enough: its chain reaches the clause head
        return None

    def named_source(self, seg: _Segment) -> tuple[str, int, int, str] | None:
        """A speaker named without a reporting verb: `Blinken: "..."` (a name and a colon opening the
        paragraph before the quote) or `According to X, ... "..."` in the quote's sentence."""
        ctx = self.ctx
        doc = ctx.doc
        first = ctx.token_at(seg.start)
        sent_start = ctx.sent_of[first][0]
        line_start = ctx.text.rfind("\n", 0, seg.start) + 1
        before = ctx.text[line_start : seg.start].rstrip()
        if before.endswith(":") and first > 0:
            # Only the name before the colon: `Blinken:` / `Antony Blinken:`, not a sentence.
            colon = ctx.token_at(line_start + len(before) - 1)
            name = ctx.entity_of[colon - 1] if colon > 0 else None
            span = ctx.mention_span[colon - 1] if colon > 0 else None
            known = name is not None and span is not None and name.label in ("PERSON", "ORG")
            if known and name is not None and span is not None and not ctx.text[line_start : span[0]].strip():
                return name.canonical, span[0], span[1], _kind_of(name)
        last = ctx.token_at(max(seg.end - 1, seg.start))
        sent_end = ctx.sent_of[last][1]
        # After the quote too (`... "earthquake swarms" in the area, per an Icelandic Met Office post`),
        # when no verb comes between: a verb starts a clause of its own, whose source that would be.
        after = []
        for i in range(last + 1, sent_end):
            if ctx.in_quote[i] or doc[i].pos_ in ("VERB", "AUX"):
                break
            after.append(i)
        for i in [*range(sent_start, first), *after]:
            if ctx.in_quote[i] or not _is_according_to(doc[i]):
                continue
            entity = ctx.entity_of[i]
            span = ctx.mention_span[i]
            if entity is not None and span is not None and entity.label in ("PERSON", "ORG"):
                return entity.canonical, span[0], span[1], _kind_of(entity)
        return None

    def introduced_by(self, seg: _Segment) -> tuple[str, int, int, str] | None:
        """`He also gave thanks to his wife, Susan. "You loved me ..."`: a statement in marks with no
        attribution of its own, right after a sentence of the same paragraph whose subject is one
        person (named, or a pronoun resolved to one), is that person's."""
        ctx = self.ctx
        first = ctx.token_at(seg.start)
        start = ctx.sent_of[first][0]
        if start == 0 or any(not ctx.in_quote[i] and not ctx.doc[i].is_space for i in range(start, first)):
            return None  # the quote does not open its sentence
        last = ctx.token_at(max(seg.end - 1, seg.start))
        end = ctx.sent_of[last][1]
        if ctx.text[seg.start + 1 : seg.end - 1].rstrip().endswith(",") or any(
            ctx.entity_of[i] is not None and not ctx.in_quote[i] for i in range(last + 1, end)
        ):
            return None  # `"...," X, the chair of ...`: its own attribution follows
        previous = ctx.sent_of[start - 1]
        if "\n" in ctx.text[ctx.doc[previous[0]].idx : seg.start]:
            return self._reported_before(seg, previous)
        subjects = [t for t in ctx.doc[previous[0] : previous[1]] if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"
                    and not ctx.in_quote[t.i]]
        if len(subjects) != 1:
            return None
        subject = subjects[0]
        if subject.lower_ in _PERSONAL:
            name = self.resolve_pronoun(subject)
            return (name, subject.idx, subject.idx + len(subject.text), "person") if name else None
        entity = ctx.entity_of[subject.i]
        span = ctx.mention_span[subject.i]
        if entity is None or span is None or entity.label != "PERSON":
            return None
        return entity.canonical, span[0], span[1], "person"

    def _reported_before(self, seg: _Segment, previous: tuple[int, int]) -> tuple[str, int, int, str] | None:
        """`X said the change would trigger an upturn.` then a paragraph that opens with a statement in
        marks: news gives the gist of what someone said, then their words, in the next paragraph. The
        paragraph before must end with a sentence whose main verb reports, holds no quote, and names
        one person as its subject (a pronoun resolved to one)."""
        ctx = self.ctx
        line_start = ctx.text.rfind("\n", 0, seg.start) + 1
        if ctx.text[line_start : seg.start].strip():
            return None  # the quote does not open its paragraph
        words_before = [t for t in ctx.doc[previous[0] : previous[1]] if not t.is_space]
        if not words_before or ctx.text[words_before[-1].idx : seg.start].count("\n") > 2:
            return None  # a paragraph or more between
        before_start = ctx.text.rfind("\n", 0, words_before[-1].idx) + 1
        first_before = ctx.token_at(before_start)
        if any(ctx.in_quote[i] for i in range(first_before, words_before[-1].i + 1)):
            return None  # the paragraph before quotes someone (a dialogue, a quote of its own)
        line_end = ctx.text.find("\n", seg.end)
        after = range(ctx.token_at(seg.end), ctx.token_at(line_end if line_end >= 0 else len(ctx.text)))
        if any(not ctx.in_quote[i] and _is_cue(ctx.doc[i]) for i in after):
            return None  # `"..." She responds, "..."`: the paragraph reports another speaker
        roots = [t for t in words_before if t.dep_ == "ROOT"]
        if len(roots) != 1 or not _is_cue(roots[0]):
            return None
        found = self.speaker_from_verb(roots[0])
        return found if found is not None and found[3] == "person" else None

    def cue_above(self, cue: Token, seg: _Segment) -> Token | None:
        """The next reporting verb up the parse from `cue`, near the quote (`X said the Bank was
        "welcoming" ...`: when the nearer verb names no speaker, the one above it may)."""
        first = self.ctx.token_at(seg.start)
        last = self.ctx.token_at(max(seg.end - 1, seg.start))
        head = cue
        for _ in range(6):
            if head.head is head:
                return None
            head = head.head
            if not self.ctx.in_quote[head.i] and _is_cue(head):
                near = first - _GOVERNING_REACH <= head.i <= last + _GOVERNING_REACH
                return head if near else None
        return None

    def nearby_cue(self, seg: _Segment) -> Token | None:
        """A reporting verb just after the quote (`"...," he said`) or before a colon that opens it."""
        ctx = self.ctx
        doc = ctx.doc
        last = ctx.token_at(max(seg.end - 1, seg.start))
        sent_end = ctx.sent_of[last][1]
        inner = ctx.text[seg.start + 1 : seg.end - 1].rstrip()
        if (seg.closed and inner and inner[-1] in ",?!—–-…") or ctx.text[seg.end : seg.end + 1] == ",":
            # `"...," X said` / `"...," said X`: the cue follows within a few words.
            taken = 0
            for i in range(last + 1, sent_end):
                if ctx.in_quote[i]:
                    break
                if _is_cue(doc[i]):
                    return doc[i]
                if not doc[i].is_punct:
                    taken += 1
                if taken > 4:
                    # `"...," the head of the Norwegian Nobel Committee, Berit Reiss-Andersen, told`: a
                    # long subject before the verb, read as far as it is one noun phrase.
                    return _cue_past_subject(ctx, last + 1, sent_end)
        first = ctx.token_at(seg.start)
        opening = ctx.text[: seg.start].rstrip()
        if seg.closed and inner and inner[-1].isalnum() and (not opening or opening[-1] in ".!?:\n"):
            # `"I'd like to thank my terrible childhood" Downey said`: a statement whose comma was lost,
            # the verb right after its name or pronoun (the parser often ends the sentence at the mark).
            for i in range(last + 1, min(last + 4, len(doc))):
                if ctx.in_quote[i] or doc[i].is_space:
                    break
                if _is_cue(doc[i]):
                    return doc[i]
                if doc[i].pos_ not in ("PROPN", "PRON"):
                    break
        before = [i for i in range(ctx.sent_of[first][0], first) if not ctx.in_quote[i]]
        if before and doc[before[-1]].text == ":":
            for i in reversed(before):
                if _is_cue(doc[i]):
                    return doc[i]
        # `he said, "..."`: the reporting verb right before the comma that opens the quote.
        if len(before) >= 2 and doc[before[-1]].text == "," and _is_cue(doc[before[-2]]):
            return doc[before[-2]]
        return None


def _cue_past_subject(ctx: _Context, start: int, end: int) -> Token | None:
    """The reporting verb right after a noun phrase (with its asides in commas: `evacuated resident Jon
    Gauti Dagbjartsson`, `the head of the Norwegian Nobel Committee, Berit Reiss-Andersen,`) that runs
    from token `start`; None when the words between are anything but one noun phrase."""
    doc = ctx.doc
    for i in range(start, min(end, start + _SUBJECT_REACH)):
        tok = doc[i]
        if ctx.in_quote[i]:
            return None
        if _is_cue(tok) and tok.dep_ not in ("amod", "compound", "acl", "relcl"):
            return tok
        noun_like = tok.pos_ in _NOUN_PHRASE_POS or tok.pos_ == "ADP" or tok.text in (",", "-", "'s", "’s")
        if not (noun_like or (tok.pos_ == "VERB" and tok.dep_ in ("amod", "compound"))):
            return None
    return None


def _title_case(text: str) -> bool:
    """Every word of `text` capitalised but small function words (`Everything Everywhere All At Once`),
    with two capitalised words at least and the first capitalised."""
    found = words(text)
    capitalised = [w for w in found if w[:1].isupper()]
    return (
        len(capitalised) >= 2
        and found[0][:1].isupper()
        and all(w[:1].isupper() or w.casefold() in COMMON_FUNCTION_WORDS for w in found)
    )


def is_work_title(text: str) -> bool:
    """Whether a quote's words are a title-case run (a show, a work, a slogan: `"Good Morning America"`)
    rather than words someone said: every word capitalised but small function words, and no sentence
    or clause inside (a quoted statement ends its words with a stop or a comma)."""
    inner = text.strip()
    if not inner or inner[-1] in ".,;:!?…" or any(mark in inner for mark in (". ", "? ", "! ", ", ")):
        return False
    return _title_case(inner)


if TYPE_CHECKING:
    #: Given an article's lookups, a function called on every quote in order (with the quote before it,
    #: when the rules named that one's speaker, and the rules' reporting verb) that may name the speaker
    #: of a quote the rules leave open: `speakers.chooser` makes one.
    Chooser = Callable[[_Context, _Attributor], Callable[[Quote, _Segment, Quote | None, Token | None], None]]


def extract_quotes(
    doc: Doc,
    text: str,
    entities: list[Entity],
    sentence_at: Callable[[int], int],
    *,
    chooser: Chooser | None = None,
) -> list[Quote]:
    """Every quoted segment of `text` (`doc.text`), with its speaker where the text says who.

    The rules attribute first; `chooser` (the pipeline passes the trained one, `speakers.py`) may then
    name the speaker of a quote they leave open."""
    segments = find_segments(text)
    if not segments:
        return []
    ctx = _Context(doc, text, entities, segments)
    attributor = _Attributor(ctx, sentence_at)
    choose = chooser(ctx, attributor) if chooser is not None else None
    quotes: list[Quote] = []
    spoken: list[Quote] = []  # the quotes but names in marks, which nobody said and nothing continues
    for seg in segments:
        inner_start = seg.start + 1
        if text[seg.start] == "”":
            inner_start = len(text) - len(text[inner_start:].lstrip())  # `” Although`: no space kept
        inner_end = seg.end - 1 if seg.closed else seg.end
        quote = Quote(
            text=text[inner_start:inner_end],
            start=seg.start,
            end=seg.end,
            sentence=sentence_at(seg.start),
            sentence_end=sentence_at(seg.end - 1),
            partial=_is_partial(text, seg),
        )
        if is_work_title(quote.text):
            quotes.append(quote)  # a name in marks: nobody said it
            continue
        cue = attributor.governing_cue(seg)
        how = "cue"
        if cue is None:
            cue, how = attributor.nearby_cue(seg), "nearby"
        if cue is not None:
            found = attributor.speaker_from_verb(cue)
            # Only past a verb with no subject of its own: one whose subject names no one (`officials
            # had warned of "..."`) is that someone's, not the speaker's above it.
            climb = found is None and how == "cue" and _subject(cue, ctx) is None
            above = attributor.cue_above(cue, seg) if climb else None
            if above is not None and (higher := attributor.speaker_from_verb(above)) is not None:
                cue, found = above, higher
            quote.cue, quote.cue_start, quote.cue_end = cue.text, cue.idx, cue.idx + len(cue.text)
            if found is not None:
                quote.speaker, quote.speaker_start, quote.speaker_end, quote.speaker_kind = found
                subject = _subject(cue, ctx)
                pronoun = subject is not None and (subject.lower_ in _PERSONAL or subject.lower_ == "it")
                quote.how = "pronoun" if pronoun else how
        else:
            named = attributor.named_source(seg)
            if named is not None:
                quote.speaker, quote.speaker_start, quote.speaker_end, quote.speaker_kind = named
                quote.how = "nearby"
            elif spoken:
                _continue_from(spoken[-1], quote, text)
            if quote.speaker is None and not quote.partial:
                introduced = attributor.introduced_by(seg)
                if introduced is not None:
                    quote.speaker, quote.speaker_start, quote.speaker_end, quote.speaker_kind = introduced
                    quote.how = "introduced"
        if quote.speaker is not None and quote.how == "continuation":
            quote.speaker_kind = spoken[-1].speaker_kind
        if choose is not None:
            # The quote before is a candidate only when the rules named its speaker (as in training).
            choose(quote, seg, spoken[-1] if spoken and spoken[-1].how != "model" else None, cue)
        quotes.append(quote)
        spoken.append(quote)
    return quotes


def _is_partial(text: str, seg: _Segment) -> bool:
    """A fragment woven into the reporter's sentence rather than a quoted statement."""
    before = text[: seg.start].rstrip()
    inner = text[seg.start + 1 : seg.end - 1].rstrip() if seg.closed else ""
    opens_statement = not before or before[-1] in ":.!?\n" or before.endswith(("—", "--"))
    ends_statement = bool(inner) and inner[-1] in ".,!?…-—"
    return not (opens_statement or ends_statement)


def _continue_from(previous: Quote, quote: Quote, text: str) -> None:
    """Give an unattributed quote its predecessor's speaker when news convention says it continues it:
    the next sentence of the same paragraph, or a paragraph that opens with the quote right after a
    paragraph whose last quote was attributed."""
    if previous.speaker is None or quote.partial or previous.how == "model":
        return  # a guess is not carried on to the next quote
    between = text[previous.end : quote.start]
    paragraph_break = "\n" in between
    if paragraph_break:
        last_line_start = text.rfind("\n", 0, quote.start) + 1
        if text[last_line_start : quote.start].strip():
            return  # the quote does not open its paragraph
        if between.count("\n") > 2 or not _paragraph_ends_with_quote(text, previous):
            return
    elif len(between) > _SAME_PARAGRAPH_GAP:
        return
    # A reporting verb between the two, other than the first quote's own, introduces someone else
    # (`"...?" Wootton asked. She answered, "..."`).
    own_cue_end = previous.cue_end if previous.cue_end is not None and previous.cue_end > previous.end else 0
    rest = text[max(previous.end, own_cue_end) : quote.start]
    if any(word.lower() in CUE_FORMS for word in words(rest)):
        return
    quote.speaker = previous.speaker
    quote.how = "continuation"


def _paragraph_ends_with_quote(text: str, quote: Quote) -> bool:
    """The rest of the quote's paragraph after it is only its attribution (`," he said.`)."""
    line_end = text.find("\n", quote.end)
    rest = text[quote.end : line_end if line_end >= 0 else len(text)]
    return len(rest) < 160 and '"' not in rest and "“" not in rest


# --- quotes in the title ----------------------------------------------------------------------------

#: Marks that set a headline's source apart from its quote: `Blinken: "..."`, `"..." - Johnson resigns`.
_TITLE_SOURCE_MARKS = ":-–—|"


def _words_in(inner: list[str], outer: list[str]) -> bool:
    n = len(inner)
    return 0 < n <= len(outer) and any(outer[k : k + n] == inner for k in range(len(outer) - n + 1))


def _named_in(part: str, name: str) -> bool:
    """Whether the words of `part` hold `name` whole or its last word (a surname: `Blinken` of
    `Antony Blinken`), as a capitalised word."""
    name_words = words(name)
    if not name_words:
        return False
    if _words_in(name_words, words(part)):
        return True
    last = name.split()[-1]
    return len(name_words) > 1 and last[:1].isupper() and last in part.replace("'s", " ").replace("’s", " ").split()


def title_quotes(title: str | None, body: list[Quote], place: str = "title") -> list[Quote]:
    """Quotations in an article's title (`place` "title": offsets into the title, `sentence` -1), or in
    one of its subheads (`place` "heading", offsets into the subhead), read alike.

    A headline says who spoke in few words, so the speaker comes only from what the body already
    attributes, never from the headline's words alone: the speaker of a body quote that holds the
    same words (`how` "repeated": the headline repeats the body's quote), else a body speaker named
    beside the quote across a colon or dash (`Blinken: "..."`, `"..." - Boris Johnson announces`,
    `how` "nearby", with the name's span in the title). A name before a colon that speaks nowhere in
    the body (`Oscars: "Everything Everywhere ..."`, a title of a work) leaves the speaker None, as
    does a title-case run in marks in a headline that is not itself in title case (`is_work_title`;
    in a title-case headline every quote looks like one)."""
    if not title:
        return []
    out: list[Quote] = []
    segments = [s for s in find_segments(title) if s.closed]
    for seg in segments:
        text = title[seg.start + 1 : seg.end - 1].strip()
        target = words(text)
        if not target:
            continue
        quote = Quote(text=text, start=seg.start, end=seg.end, sentence=-1, sentence_end=-1, place=place)
        rest = title[: seg.start] + " " + title[seg.end :]
        if is_work_title(text) and not (words(rest) and _title_case(rest)):
            out.append(quote)  # a name in marks: nobody said it
            continue
        # The body quote that begins with the headline's words first, then one that holds them.
        spoken = [q for q in body if q.speaker and q.place == "text"]
        same = [q for q in spoken if words(q.text)[: len(target)] == target] or [
            q for q in spoken if _words_in(target, words(q.text))
        ]
        if same and len({q.speaker for q in same}) == 1:
            quote.speaker, quote.speaker_kind, quote.how = same[0].speaker, same[0].speaker_kind, "repeated"
        else:
            before = title[: seg.start].rstrip()
            after = title[seg.end :].lstrip()
            sides = []
            if before and before[-1] in _TITLE_SOURCE_MARKS:
                cut = max(before.rfind(m, 0, len(before) - 1) for m in _TITLE_SOURCE_MARKS)
                sides.append((cut + 1, before[cut + 1 : -1]))
            if after and after[0] in _TITLE_SOURCE_MARKS:
                rest = after[1:]
                stop = min([i for i in (rest.find(m) for m in _TITLE_SOURCE_MARKS) if i >= 0] or [len(rest)])
                sides.append((len(title) - len(rest), rest[:stop]))
            names = {q.speaker: q.speaker_kind for q in spoken if q.speaker_kind in ("person", "organization")}
            found = {(name, kind) for name, kind in names.items() for _, part in sides if _named_in(part, str(name))}
            if len(found) == 1:
                (name, kind), = found
                quote.speaker, quote.speaker_kind, quote.how = name, kind, "nearby"
        out.append(quote)
    return out


def with_title_quotes(
    annotations: Annotations, title: str | None, headings: Sequence[Heading] = ()
) -> Annotations:
    """`annotations` with the quotes of the article's title and then of its subheads (`title_quotes`,
    `place` "title" / "heading") set beside the body's; a subhead repeating a quote the headline
    attributes takes its speaker (`how` "repeated")."""
    found = title_quotes(title, annotations.quotes)
    for heading in headings:
        for quote in title_quotes(heading.text, annotations.quotes, place="heading"):
            # a subhead repeating a quote the headline attributes shows the same words again
            same = next((q for q in found if q.speaker and words(q.text) == words(quote.text)), None)
            if quote.speaker is None and same is not None:
                quote.speaker, quote.speaker_kind, quote.how = same.speaker, same.speaker_kind, "repeated"
            found.append(quote)
    annotations.title_quotes = found
    return annotations
