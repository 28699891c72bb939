"""Direct quotations and who said them.

Quoted segments are found from the quote marks themselves (straight and curly, double and single),
paragraph by paragraph. A segment's speaker comes, in order of trust, from

1. the reporting verb that governs the quoted words in the parse (`"...," Blinken said`,
   `Stoltenberg said that "tens of thousands" ...`, `said Zelensky`), whose subject names the speaker;
2. a reporting verb right after the quote, or before it when a colon introduces the quote
   (`Blinken told a news conference: "..."`), for sentences the parser gets wrong;
3. continuation: an unattributed quote right after an attributed one in the same paragraph, or a
   paragraph that is all quote right after a paragraph that ends with an attributed quote.

4. a quote the rules leave open goes to a small trained chooser (`speakers.py`) that scores the
   plausible speakers nearby (descriptions such as `a senior official` included) and names the best
   one only when its score clears a threshold chosen on cross-validation for precision.

A subject that is a pronoun (`he said`) is resolved to the nearest person named as a subject (or as a
speaker) in the preceding sentences, and only when that choice is unambiguous; a subject that names
no one (`officials said`) leaves the speaker None. A wrong speaker is worse than none.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.annotate.records import Entity, Quote
from storyline.text import stem, words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_BASE_CUES = (
    "say tell add state ask explain warn insist note declare tweet post recall reply respond stress suggest "
    "acknowledge admit argue claim continue vow announce comment remark urge demand press pledge promise "
    "predict conclude confirm deny complain concede assert emphasize emphasise call describe caution express "
    "lament answer recollect muse counter retort exclaim joke quip recount "
    "question estimate report testify write speak agree repeat reiterate observe maintain"
)
_IRREGULAR = {"said", "told", "wrote", "written", "spoke", "spoken"}


def _inflections(verb: str) -> set[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    forms = {verb, verb + "s", stem + "ed", stem + "ing"}
    if verb.endswith("y") and verb not in ("say", "pray"):
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if verb.endswith(("s", "sh", "ch")):
        forms.add(verb + "es")
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
_OBJECT_PRONOUNS = {"him": "he", "her": "she"}
_PERSONAL = {"he": "PERSON", "she": "PERSON"}
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PERSON_ONLY = frozenset({"PERSON"})
# `>` and `<`: text pasted with its markup left in (`</p><p>"A black day" read ...`).
_OPENERS_BEFORE = set(" \t\n([{—–-/>")
_CLOSERS_AFTER = set(" \t\n.,;:!?)]}—–-/…<")
#: How many sentences back a pronoun may look for its person.
_PRONOUN_WINDOW = 3


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
        self.doc = doc
        self.text = text
        self.starts = [t.idx for t in doc]
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
        self.entity_of: list[Entity | None] = [None] * len(doc)
        self.mention_span: list[tuple[int, int] | None] = [None] * len(doc)
        for entity in entities:
            for m in entity.mentions:
                for i in range(self.token_at(m.start), self.token_at(m.end - 1) + 1):
                    self.entity_of[i] = entity
                    self.mention_span[i] = (m.start, m.end)

    def token_at(self, char: int) -> int:
        return max(bisect_right(self.starts, char) - 1, 0)


def _is_according_to(token: Token) -> bool:
    """`according to X` (`according to Directorate of Air Transport spokesman X`): X is named as a
    source. Read from the words, not the parse, which often loses such long titles."""
    doc = token.doc
    for i in range(token.i - 1, max(token.i - 10, 1) - 1, -1):
        word = doc[i]
        if word.lower_ == "to" and doc[i - 1].lower_ == "according":
            return True
        if word.pos_ in ("VERB", "AUX") or word.text in (".", ";", ":") or word.is_space:
            return False
    return False


def _is_cue(token: Token) -> bool:
    """A reporting verb that reports: not an infinitive or future (`to reiterate`, `will say`)."""
    return token.tag_ in _REPORTING_TAGS and token.lower_ in CUE_FORMS


def _subject(verb: Token, ctx: _Context) -> Token | None:
    """The subject of a reporting verb (through `and`/`but` conjunctions), or the inverted `said X`."""
    for _ in range(3):
        previous = verb.nbor(-1) if verb.i > 0 else None
        entity = ctx.entity_of[previous.i] if previous is not None else None
        adjacent = previous if entity is not None and entity.label == "PERSON" else None
        for child in verb.children:
            if child.dep_ == "nsubj" and not ctx.in_quote[child.i]:
                # `..., the carrier's CEO X told journalists`: a misparse may pick a far-off word as
                # the subject while a person's name sits right before the verb.
                if adjacent is not None and ctx.entity_of[child.i] is None and child.lower_ not in _PERSONAL:
                    return adjacent
                return child
        if any(child.dep_ == "nsubjpass" for child in verb.children):
            return None  # `was declared`: the subject is not the one speaking
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
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
            verb = verb.head
            continue
        return None
    return None


def _name_of(token: Token, ctx: _Context) -> tuple[str, int, int] | None:
    """The canonical name a subject token stands for, with the span of the words naming it."""
    # The subject itself may be any named speaker; a word attached to it (`spokesman John Smith`,
    # `the U.S. diplomat`) only when it names a person.
    candidates = [(token, _SPEAKER_LABELS)]
    candidates += [(c, _PERSON_ONLY) for c in token.children if c.dep_ in ("appos", "compound")]
    for tok, labels in candidates:
        entity = ctx.entity_of[tok.i]
        if entity is not None and entity.label in labels:
            span = ctx.mention_span[tok.i]
            assert span is not None
            return entity.canonical, span[0], span[1]
    return _organisation_named_by(token, ctx)


def _organisation_named_by(token: Token, ctx: _Context) -> tuple[str, int, int] | None:
    """`the agency said` after `the Japan Meteorological Agency (JMA) issued ...`: a definite noun that
    repeats the first or last word of exactly one organisation named earlier stands for it."""
    if token.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return None
    if any(c.dep_ in ("amod", "compound", "poss") for c in token.children):
        return None  # `the U.S. diplomat`, `the state agency`: a description, not a short name
    head = stem(token.lower_, inflections=False)
    # `the bank` for the Bank of England as well as `the committee` for the Norwegian Nobel Committee.
    names = {
        entity.canonical
        for entity in ctx.organisations
        if head in {stem(entity.canonical.split()[k], inflections=False) for k in (0, -1)}
        and entity.mentions[0].start < token.idx
    }
    if len(names) != 1:
        return None
    return names.pop(), token.idx, token.idx + len(token.text)


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
        for token in ctx.doc:
            if ctx.in_quote[token.i]:
                continue
            entity = ctx.entity_of[token.i]
            sentence = sentence_at(token.idx)
            if entity is not None and entity.label == "PERSON":
                self.persons.append((sentence, token.idx))
                if token.dep_ == "nsubj" or _is_according_to(token):
                    self.subjects.append((token.idx, entity.canonical, sentence))
            elif token.dep_ == "nsubj" and token.lower_ in _PERSONAL:
                self.subjects.append((token.idx, "", sentence))
            elif token.lower_ in _OBJECT_PRONOUNS and token.dep_ in ("dobj", "dative", "pobj"):
                self.object_pronouns[_OBJECT_PRONOUNS[token.lower_]].add(sentence)
            elif token.dep_ == "nsubj" and token.pos_ == "NOUN" and _is_cue(token.head):
                self.subjects.append((token.idx, "?", sentence))
            elif token.dep_ == "nsubj" and token.pos_ == "PROPN" and entity is None:
                self.subjects.append((token.idx, "?", sentence))  # a name the model missed: maybe a person

    def resolve_pronoun(self, token: Token) -> str | None:
        """The person a `he`/`she` subject refers to: the person named as subject in the nearest
        sentence before it that names anyone (skipping sentences whose subject is itself a pronoun),
        and only when that sentence names exactly one person as subject."""
        here = self.sentence_at(token.idx)
        subjects: dict[int, set[str]] = {}
        for offset, name, sentence in self.subjects:
            if offset < token.idx and sentence >= here - _PRONOUN_WINDOW:
                subjects.setdefault(sentence, set()).add(name)
        mentioned = {s for s, offset in self.persons if offset < token.idx}
        for sentence in range(here, here - _PRONOUN_WINDOW - 1, -1):
            names = subjects.get(sentence, set())
            named = names - {"", "?"}
            if "?" in names and not named:
                return None  # the last one speaking is unnamed (`an eyewitness told the BBC`)
            if named:
                if sentence in self.object_pronouns.get(token.lower_, set()):
                    return None  # `Wootton asked her. She answered`: she is not the subject
                return next(iter(named)) if len(named) == 1 else None
            if "" in names:
                continue  # `He also said ...`: the pronoun continues the person before it
            if sentence in mentioned:
                return None  # a person is named, but not as the one acting: do not guess
        return None

    def speaker_from_verb(self, verb: Token) -> tuple[str, int, int] | None:
        subject = _subject(verb, self.ctx)
        if subject is None:
            return None
        if subject.lower_ in _PERSONAL:
            name = self.resolve_pronoun(subject)
            if name is None:
                return None
            return name, subject.idx, subject.idx + len(subject.text)
        return _name_of(subject, self.ctx)

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
                        return head
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
                    break
        first = ctx.token_at(seg.start)
        before = [i for i in range(ctx.sent_of[first][0], first) if not ctx.in_quote[i]]
        if before and doc[before[-1]].text == ":":
            for i in reversed(before):
                if _is_cue(doc[i]):
                    return doc[i]
        return None


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
    kinds = {e.canonical: ("person" if e.label == "PERSON" else "organization") for e in entities}
    choose = chooser(ctx, attributor) if chooser is not None else None
    quotes: list[Quote] = []
    for seg in segments:
        inner_start = seg.start + 1
        inner_end = seg.end - 1 if seg.closed else seg.end
        quote = Quote(
            text=text[inner_start:inner_end],
            start=seg.start,
            end=seg.end,
            sentence=sentence_at(seg.start),
            sentence_end=sentence_at(seg.end - 1),
            partial=_is_partial(text, seg),
        )
        cue = attributor.governing_cue(seg)
        how = "cue"
        if cue is None:
            cue, how = attributor.nearby_cue(seg), "nearby"
        if cue is not None:
            quote.cue, quote.cue_start, quote.cue_end = cue.text, cue.idx, cue.idx + len(cue.text)
            found = attributor.speaker_from_verb(cue)
            if found is not None:
                quote.speaker, quote.speaker_start, quote.speaker_end = found
                subject = _subject(cue, ctx)
                quote.how = "pronoun" if subject is not None and subject.lower_ in _PERSONAL else how
        elif quotes:
            _continue_from(quotes[-1], quote, text)
        if quote.speaker is not None:
            quote.speaker_kind = quotes[-1].speaker_kind if quote.how == "continuation" else None
            quote.speaker_kind = quote.speaker_kind or kinds.get(quote.speaker, "person")
        if choose is not None:
            # The quote before is a candidate only when the rules named its speaker (as in training).
            choose(quote, seg, quotes[-1] if quotes and quotes[-1].how != "model" else None, cue)
        quotes.append(quote)
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
    elif len(between) > 120:
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
