"""An extractive multi-document summary of one story.

Sentences are scored by how well their content recurs in the *other independent sources* (copies of
one wire text count once) and by where they sit (news puts the essentials first); then picked greedily,
best first, skipping any sentence too close to one already chosen (no two say the same thing), any
sentence that opens with a pronoun or a quotation whose speaker is a pronoun (it would not stand on
its own), and fragments (unbalanced quotation marks, no verb-sized length); announcements of what
will happen weigh a little less than reports of what did. The figures most sources give (claims)
favour the sentences that state them, at their latest value, and count once (a second sentence with
the same toll adds nothing; a superseded toll spoils a sentence only until the latest is given, then
it is history); the first sentence is the one that best states what happened on the
day most sources name. Each chosen sentence cites every article with a sentence similar enough to
it, not only the one it was taken from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from storyline.annotate.records import Annotations, TimeExpression
from storyline.article import Article
from storyline.compare.antecedents import Resolution, opening_pronoun, resolve_opener
from storyline.compare.dates import PublicationDate, resolved_times
from storyline.compare.evidence import Evidence
from storyline.compare.records import Claim
from storyline.compare.similarity import SentenceSpace, StorySentence, annotations_by_id
from storyline.text import strip_dateline

#: Similarity at which another article is taken to report the same thing (TF-IDF cosine, story IDF).
SUPPORT = 0.25
#: Similarity above which two candidate sentences say the same thing: the second is skipped.
REDUNDANT = 0.35
#: Weight of the similarity to already chosen sentences in the choice of the next one.
DIVERSITY = 1.0
#: Weight of the key figures a sentence carries (`key_figures`) in its score.
KEY_FIGURES = 1.0
#: Weight, in the choice of the first sentence, of stating the day most sources date the event to
#: (`when_stated`): the summary opens with what happened and when (chosen on dev2-tune: 0, 0.5, 1 and 2
#: tried, 2 best).
WHEN = 2.0
#: Weight of the numbers a sentence states that the summary does not give yet (`figure_values`,
#: `day_density`), and the count that weighs fully (chosen on dev2-tune: 0, 0.8, 1.6, 2.4, 3.2 tried
#: with 3-6; 2.4 and 4).
DENSITY = 2.4
DENSE = 4
#: Weight, in `when_stated`, of a sentence dating the main day by a weekday or `today` only (one
#: that writes the date in figures weighs 1; 0.25 with WHEN 3 measured 0.005 better on dev2-tune but
#: lost the seeds' lead, so kept).
WEEKDAY = 0.5
#: Further weight taken from an announcement (`will`, `is to`, `is expected to`) as the first
#: sentence: the summary opens with what happened, not with a preview of it.
FUTURE_LEAD = 2.0
#: Which summary sentences show the date after the weekday naming it (`dated_text`): "all", "lead"
#: (the main day in the first sentence) or "" (none). The first shows the main day only.
DATED = "all"
#: Whether a sentence opening with a connective and a pronoun (`But he said ...`) needs its pronoun
#: resolved to be summarised, as one opening with the pronoun does.
RESOLVE_CONNECTIVE = True
#: Weight taken from a sentence that is mostly quotation (more than half its characters quoted).
QUOTATION = 0.3
#: Default number of summary sentences.
DEFAULT_SENTENCES = 8
#: Sentence length bounds (words) for a summary sentence.
MIN_WORDS, MAX_WORDS = 8, 60

#: Openers that need the previous sentence to be understood: pronouns and demonstratives.
_PRONOUN = re.compile(
    r"^(?:he|she|it|they|this|that|these|those|his|her|its|their|them|him|we|our|i|you|such|"
    r"the latter|the former|both)\b",
    re.IGNORECASE,
)
_PRONOUN_OPENER = "opens with a pronoun"
_UNNAMED_SPEAKER = "quotation without a named speaker"
#: What a resolved pronoun (`resolutions`) cures.
_RESOLVABLE = (_PRONOUN_OPENER, _UNNAMED_SPEAKER)
_DEMONSTRATIVE = re.compile(r"^(?:this|that|these|those)\b", re.IGNORECASE)
#: Discourse connectives: the sentence reads as a reply to the one before it. Penalised, not banned.
_CONNECTIVE = re.compile(r"^(?:but|and|so|yet|however|also|meanwhile|still|then|instead|again)\b", re.IGNORECASE)
_QUOTE_CHARS = '"“”'
#: Announced rather than reported (outside quotations): a preview's plan, weaker than what happened.
_FUTURE = re.compile(
    r"\b(?:will|is|are) (?:scheduled|expected|set|due) to\b|\b(?:will|is to|are to|plans? to)\b", re.IGNORECASE
)
#: How a whole sentence ends: a full stop or exclamation, perhaps inside a quotation or bracket.
_TERMINATED = re.compile(r"[.!][\"”’')\]]*\s*$")
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")
_OPEN_QUOTE = re.compile(r"^[\"“'‘]")


@dataclass
class SummarySentence:
    """One summary sentence: `text` as written in `source`, cited by every supporting article; `dated`
    is how it is shown when the reader needs the date a weekday stands for."""

    text: str
    articles: list[str]
    evidence: list[Evidence] = field(default_factory=list)
    source: str = ""
    score: float = 0.0
    independent_sources: int = 1
    #: `text` as shown: with the main day's date after the weekday naming it (`dated_text`), or None
    #: when it reads as written. `text` itself stays as the source wrote it (its evidence).
    dated: str | None = None


def standalone_problem(text: str, time_first: bool = False) -> str | None:
    """Why a sentence cannot open a summary line on its own, or None when it can. `time_first`: the
    sentence opens with a time expression (`This year's prize`, `That night`): the demonstrative
    names a time, it does not point back to an earlier sentence."""
    words = text.split()
    if len(words) < MIN_WORDS:
        return "too short"
    if len(words) > MAX_WORDS:
        return "too long"
    if text[0].islower() or (not text[0].isalnum() and not _OPEN_QUOTE.match(text)):
        return "fragment"
    if sum(text.count(c) for c in _QUOTE_CHARS) % 2:
        return "unbalanced quotation"
    if opens_inside_quotation(text):
        return "opens inside a quotation"
    if text.rstrip().endswith(("?", ":")):
        return "question or lead-in"
    if _OPEN_QUOTE.match(text):
        # A quotation first: its speaker must be named after it ("...," Blinken said).
        closing = max(text.rfind("”"), text.rfind('"', 1))
        attribution = text[closing + 1 :].lstrip(" ,.;") if closing > 0 else ""
        if not attribution or _PRONOUN.match(attribution):
            return _UNNAMED_SPEAKER
        return None
    if _PRONOUN.match(text) and not (time_first and _DEMONSTRATIVE.match(text)):
        return _PRONOUN_OPENER
    return None


def opens_inside_quotation(text: str) -> bool:
    """Whether the first quotation mark of `text` closes a quotation (`... world," said Murphy. "I'd
    like ...`): the sentence begins inside a quotation the sentence before opened, a fragment even
    when its marks pair up."""
    for m in re.finditer(r"[\"“”]", text):
        mark, i = m.group(), m.start()
        if mark != '"':
            return mark == "”"
        before = text[i - 1] if i else " "
        # A straight mark after a word or its punctuation closes; after a space or a bracket it opens.
        return not (before.isspace() or before in "([{—–-/")
    return False


def cut_short(sentence: StorySentence, article_text: str) -> bool:
    """Whether a sentence ends its paragraph without a full stop: a line cut short (a teaser the page
    truncated, a table row, a caption), not a sentence to summarise. One the splitter ended
    mid-paragraph is left to the other tests."""
    if _TERMINATED.search(sentence.text):
        return False
    rest = article_text[sentence.end :].lstrip(" \t")
    return not rest or rest[0] == "\n"


def score_sentences(space: SentenceSpace) -> np.ndarray:
    """Centrality and corroboration of every sentence (higher is more central)."""
    n = len(space.sentences)
    if n == 0:
        return np.zeros(0)
    families = sorted(set(space.family_of.values()))
    fam_col = {f: [k for k, a in enumerate(space.article_ids) if space.family_of[a] == f] for f in families}
    # Best similarity to each family (one source however many copies it has).
    per_family = np.stack([space.best[:, cols].max(axis=1) for cols in fam_col.values()], axis=1)
    own = np.array([families.index(s.family) for s in space.sentences])
    per_family[np.arange(n), own] = 0.0
    others = max(len(families) - 1, 1)
    centrality = per_family.sum(axis=1) / others
    corroboration = (per_family >= SUPPORT).sum(axis=1) / others
    position = np.array([s.position for s in space.sentences], dtype=float)
    lead = 1.0 / np.sqrt(1.0 + position)
    if len(families) == 1:
        # One source: no corroboration to measure; fall back on position and on-topic words.
        return lead + _topicality(space)
    coverage = space.term_coverage()
    return centrality + 0.5 * corroboration + 0.5 * coverage + 0.25 * lead


def _topicality(space: SentenceSpace) -> np.ndarray:
    """Similarity of each sentence to the story's centroid (used when there is one source only)."""
    centroid = np.asarray(space.vectors.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid) or 1.0
    return np.asarray(space.vectors @ (centroid / norm)).ravel()


def key_figures(space: SentenceSpace, claims: Sequence[Claim]) -> np.ndarray:
    """How much each sentence carries the story's key figures (the sum of `figure_weights`, clipped)."""
    weights = figure_weights(space, claims)
    return np.clip(np.array([sum(w.values()) for w in weights]), -1.0, 1.0)


def figure_weights(space: SentenceSpace, claims: Sequence[Claim]) -> list[dict[int, float]]:
    """Per sentence, the claims whose figures it gives and what each is worth: a figure of a claim
    that two or more independent sources give is worth the share of the sources giving it; a figure
    an update has superseded (not the claim's latest) is worth that share taken away, so a stale toll
    is not summarised."""
    weights: list[dict[int, float]] = [{} for _ in space.sentences]
    if not claims:
        return weights
    by_article: dict[str, list[tuple[int, int, int, float]]] = {}
    families = max(len(set(space.family_of.values())), 1)
    for index, claim in enumerate(claims):
        sources = space.independent(claim.articles)
        if sources < 2:
            continue
        weight = sources / families
        latest = claim.values[claim.latest].text if claim.agreement == "update" and claim.latest is not None else None
        for value in claim.values:
            stale = latest is not None and value.text != latest
            for e in value.evidence[:1]:
                by_article.setdefault(e.article, []).append((e.start, e.end, index, -weight if stale else weight))
    for i, sentence in enumerate(space.sentences):
        for start, end, index, w in by_article.get(sentence.article, ()):
            if sentence.start <= start and end <= sentence.end:
                # A stale value spoils the sentence whatever else it gives.
                weights[i][index] = min(weights[i].get(index, w), w) if w < 0 else max(weights[i].get(index, 0.0), w)
    return weights


def day_density(
    space: SentenceSpace, annotations: Mapping[str, Annotations] | Sequence[Annotations], articles: Sequence[Article]
) -> np.ndarray:
    """Per sentence, how many days it dates in figures (`Sept. 26`): with the values of its figures
    (`figure_values`), what a sentence gives of the event's numbers."""
    by_id = annotations_by_id(articles, annotations)
    count: Counter[tuple[str, int]] = Counter()
    for article_id, ann in by_id.items():
        for t in ann.times:
            if t.precision == "day" and any(c.isdigit() for c in t.text):
                count[(article_id, t.sentence)] += 1
    return np.array([float(count[(s.article, s.index)]) for s in space.sentences])


def figure_values(
    space: SentenceSpace, annotations: Mapping[str, Annotations] | Sequence[Annotations], articles: Sequence[Article]
) -> list[set[tuple[float, ...]]]:
    """Per sentence, the values its figures state (a figure's value, or its bounds): two figures of
    one value (`62 dead`, `a toll of 62`) are one number the sentence gives. A vague magnitude
    (`tens of thousands`) states none: its bounds are no figure the text gives."""
    by_id = annotations_by_id(articles, annotations)
    at = {(s.article, s.index): i for i, s in enumerate(space.sentences)}
    out: list[set[tuple[float, ...]]] = [set() for _ in space.sentences]
    for article_id, ann in by_id.items():
        for f in ann.figures:
            i = at.get((article_id, f.sentence))
            values = tuple(round(v, 6) for v in (f.value, f.low, f.high) if v is not None)
            if i is not None and values and f.qualifier != "vague":
                out[i].add(values)
    return out


def time_first(
    space: SentenceSpace, annotations: Mapping[str, Annotations] | Sequence[Annotations], articles: Sequence[Article]
) -> set[int]:
    """The sentences (indices into `space.sentences`) that open with a time expression once a
    dateline is cut (`This year's Nobel Peace Prize was awarded ...`)."""
    by_id = annotations_by_id(articles, annotations)
    starts = {(article_id, t.start) for article_id, ann in by_id.items() for t in ann.times}
    return {i for i, s in enumerate(space.sentences) if (s.article, s.start + strip_dateline(s.text)[1]) in starts}


def when_stated(
    space: SentenceSpace,
    annotations: Mapping[str, Annotations] | Sequence[Annotations],
    articles: Sequence[Article],
    published: Mapping[str, PublicationDate] | None = None,
) -> np.ndarray:
    """Per sentence, 1 when it dates something to the story's main day (the day the most independent
    sources' sentences name) in figures (`Sept. 26`), `WEEKDAY` when by a weekday or `today` only,
    else 0. `published` (from `infer_publication`) dates the weekdays of undated copies."""
    main, days = _main_day(space, annotations, articles, published)
    out = np.zeros(len(space.sentences))
    if main is None:
        return out
    for i, sentence in enumerate(space.sentences):
        named = days.get((sentence.article, sentence.index), {})
        if main in named:
            out[i] = 1.0 if any(_has_digit(t.text) for t in named[main]) else WEEKDAY
    return out


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _main_day(
    space: SentenceSpace,
    annotations: Mapping[str, Annotations] | Sequence[Annotations],
    articles: Sequence[Article],
    published: Mapping[str, PublicationDate] | None,
) -> tuple[str | None, dict[tuple[str, int], dict[str, list[TimeExpression]]]]:
    """The day the most independent sources' sentences name, and per sentence the days it names
    (ISO day -> the expressions naming it)."""
    by_id = annotations_by_id(articles, annotations)
    days: dict[tuple[str, int], dict[str, list[TimeExpression]]] = {}
    for article_id, ann in by_id.items():
        for rt in resolved_times(ann, (published or {}).get(article_id)):
            t = rt.expression
            if rt.date and rt.precision == "day" and t.kind in ("point", "range"):
                days.setdefault((article_id, t.sentence), {}).setdefault(rt.date[:10], []).append(t)
    sources: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for sentence in space.sentences:
        for day in days.get((sentence.article, sentence.index), {}):
            if (sentence.family, day) not in seen:
                seen.add((sentence.family, day))
                sources[day] += 1
    return (sources.most_common(1)[0][0] if sources else None), days


def dated_text(
    text: str,
    sentence: StorySentence,
    cut: int,
    named: Mapping[str, Sequence[TimeExpression]],
    only: str | None = None,
) -> str:
    """`text` (the sentence `sentence` less its first `cut` characters) with each day it names by a
    weekday or `today` only written after that word (`quit on Thursday [October 20, 2022]`): a
    briefing is read on other days than its sources were written, and `Thursday` alone no longer
    says which. `named` maps the days the sentence names to the expressions naming them; `only`
    keeps one day. A day the sentence writes in figures is left as it is."""
    inserts: list[tuple[int, str]] = []
    for iso, expressions in named.items():
        if (only is not None and iso != only) or not expressions or any(_has_digit(t.text) for t in expressions):
            continue
        t = expressions[0]
        if not (t.relative or "").startswith(("weekday:", "day:")):
            continue  # `this week`, `last month`: a stretch, not the day it is resolved to
        end = t.end - sentence.start - cut
        if end <= 0 or end > len(text) or text[end - len(t.text) : end] != t.text:
            continue
        # After a possessive (`Thursday's election`), not inside it.
        possessive = re.match(r"['’]s\b", text[end:])
        end += possessive.end() if possessive else 0
        day = date.fromisoformat(iso[:10])
        inserts.append((end, f" [{day:%B} {day.day}, {day.year}]"))
    for end, insert in sorted(inserts, reverse=True):
        text = text[:end] + insert + text[end:]
    return text


def build_summary(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotations] | Sequence[Annotations],
    families: Sequence[Any] | None = None,
    sentences: int = DEFAULT_SENTENCES,
    aliases: Mapping[str, str] | None = None,
    space: SentenceSpace | None = None,
    claims: Sequence[Claim] = (),
    published: Mapping[str, PublicationDate] | None = None,
) -> list[SummarySentence]:
    """The `sentences` most central, corroborated, distinct, self-standing sentences of a story.

    `families` are groups of article ids that are copies of one text (they count as one source);
    `aliases` maps spellings to cross-outlet canonical names (improves matching `Kiev`/`Kyiv`);
    `space` reuses a `SentenceSpace` already built for the story; `claims` (from `link_claims`)
    favour the sentences that give the figures most sources give, at their latest value;
    `published` (from `infer_publication`) dates the weekdays the first sentence is chosen by.
    """
    space = space or SentenceSpace.build(articles, annotations, families, aliases)
    if not space.sentences or sentences <= 0:
        return []
    scores = score_sentences(space)
    weights = figure_weights(space, claims)
    # The figures a sentence gives count once in the summary: a second sentence with the same toll
    # adds nothing, one with another key figure does (the fact, not its repetition).
    left = np.array([sum(ws.values()) for ws in weights])
    carriers: dict[int, list[tuple[int, float]]] = {}
    # A superseded value spoils a sentence only while the summary lacks the latest one: once the
    # latest toll is given, an earlier one reads as its history ("rose from 15 to 320"), not as
    # the current figure.
    stale: dict[int, list[tuple[int, float]]] = {}
    for i, ws in enumerate(weights):
        for c, w in ws.items():
            if w > 0:
                carriers.setdefault(c, []).append((i, w))
            elif w < 0:
                stale.setdefault(c, []).append((i, w))

    when = WHEN * when_stated(space, annotations, articles, published)
    # The numbers a sentence states, less those the summary already gives (a repeated toll is no
    # news, in whatever sentence or claim it comes): its figures' values and the days it dates.
    values = figure_values(space, annotations, articles)
    dating = day_density(space, annotations, articles)
    given: set[float] = set()
    texts = [strip_dateline(s.text)[0] for s in space.sentences]
    text_of = {a.id: a.text for a in articles}
    timed = time_first(space, annotations, articles)
    resolved = resolutions(space, texts, annotations, articles)
    eligible = np.array(
        [
            (standalone_problem(t, i in timed) is None or (i in resolved and standalone_problem(t) in _RESOLVABLE))
            and not cut_short(s, text_of.get(s.article, ""))
            and (i in resolved or not (RESOLVE_CONNECTIVE and opening_pronoun(t)))
            for i, (t, s) in enumerate(zip(texts, space.sentences, strict=True))
        ]
    )
    # Connective openers ("But ...") read as replies to a missing sentence: taken only when needed.
    penalty = np.array([0.3 if _CONNECTIVE.match(t) else 0.0 for t in texts])
    future = np.array([bool(_FUTURE.search(_QUOTED.sub(" ", t))) for t in texts])
    penalty += 0.15 * future
    # A sentence that is mostly quotation gives a voice, not the facts: taken when nothing says more.
    quoted = np.array([sum(len(m.group()) for m in _QUOTED.finditer(t)) / max(len(t), 1) for t in texts])
    penalty += QUOTATION * (quoted > 0.5)
    # A quoted announcement ("X will resign today," the BBC said) is a preview too when it would open.
    announced = np.array([bool(_FUTURE.search(t)) for t in texts])
    chosen: list[int] = []
    overlap = np.zeros(len(texts))
    while len(chosen) < sentences:
        # Maximal marginal relevance: central, but unlike what is already chosen.
        stated = dating + np.array([sum(not given.issuperset(v) for v in vs) for vs in values])
        density = DENSITY * np.clip(stated, 0.0, DENSE) / DENSE
        # The first sentence is chosen for what happened and when; the figures fill the rest.
        gain = (
            scores
            + (density if chosen else 0.0)
            + KEY_FIGURES * np.clip(left, -1.0, 1.0)
            - penalty
            - DIVERSITY * overlap
            + (0 if chosen else when - FUTURE_LEAD * announced)
        )
        value = np.where(eligible & (overlap < REDUNDANT), gain, -np.inf)
        if chosen:
            value[chosen] = -np.inf
        best = int(np.argmax(value))
        if not np.isfinite(value[best]):
            break
        chosen.append(best)
        for c, w in weights[best].items():
            if w > 0:
                for i, share in (*carriers.pop(c, ()), *stale.pop(c, ())):
                    left[i] -= share
        given.update(v for vs in values[best] for v in vs)
        overlap = np.maximum(overlap, space.similarity[:, best].toarray().ravel())
    out = [_summary_sentence(space, i, float(scores[i])) for i in chosen]
    if out and DATED:
        main, days = _main_day(space, annotations, articles, published)
        for k, (i, item) in enumerate(zip(chosen, out, strict=True)):
            if k and DATED == "lead":
                break
            s = space.sentences[i]
            named = days.get((s.article, s.index), {})
            dated = dated_text(item.text, s, len(s.text) - len(item.text), named, main if k == 0 else None)
            item.dated = dated if dated != item.text else None
    for i, item in zip(chosen, out, strict=True):
        if i in resolved:
            item.dated = with_name(item.text, item.dated, resolved[i])
    return out


def with_name(text: str, dated: str | None, resolution: Resolution) -> str:
    """`dated` (or `text` when no date is shown) with the name a pronoun stands for after it. The
    date notes go after weekdays; the name's offset in `text` holds in `dated` when they all come
    after it or all before it; otherwise the name is shown and the dates are not (who spoke matters
    more to a reader than the day of a weekday)."""
    if dated is None:
        return resolution.shown(text)
    end = resolution.end
    if dated[:end] == text[:end]:
        return resolution.shown(dated)
    shift = len(dated) - len(text)
    if dated[end + shift :] == text[end:]:
        return resolution.shown(dated, -shift)
    return resolution.shown(text)


def resolutions(
    space: SentenceSpace,
    texts: Sequence[str],
    annotations: Mapping[str, Annotations] | Sequence[Annotations],
    articles: Sequence[Article],
) -> dict[int, Resolution]:
    """The sentences (indices into `space.sentences`, `texts` their datelines cut) that open with a
    pronoun whose antecedent the article's earlier sentences name (`resolve_opener`), or that open
    with a quotation attributed to a pronoun (`..." he said`) the annotator resolved to its speaker."""
    by_id = annotations_by_id(articles, annotations)
    text_of = {a.id: a.text for a in articles}
    out: dict[int, Resolution] = {}
    for i, (text, s) in enumerate(zip(texts, space.sentences, strict=True)):
        ann = by_id.get(s.article)
        if ann is None:
            continue
        found = None
        if opening_pronoun(text):
            found = resolve_opener(text, s.index, ann, text_of.get(s.article, ""))
        elif _OPEN_QUOTE.match(text):
            found = _quoted_by_pronoun(text, s.start + len(s.text) - len(text), s.index, ann)
        if found is not None:
            out[i] = found
    return out


def _quoted_by_pronoun(text: str, start: int, sentence: int, annotations: Annotations) -> Resolution | None:
    """For a sentence opening with a quotation attributed to a pronoun after it (`..." he said`;
    `start`: the article offset of `text`), the speaker the annotator resolved the pronoun to."""
    for quote in annotations.quotes:
        if (
            quote.sentence == sentence
            and quote.how == "pronoun"
            and quote.speaker
            and quote.speaker_start is not None
            and quote.speaker_end is not None
            and start <= quote.start
            and quote.end <= quote.speaker_start
            and quote.speaker_end - start <= len(text)
            and text[quote.speaker_start - start : quote.speaker_end - start].lower() in ("he", "she", "it")
        ):
            return Resolution(quote.speaker_end - start, quote.speaker)
    return None


def _similar(space: SentenceSpace, i: int, j: int) -> bool:
    return bool(space.similarity[i, j] >= REDUNDANT)


def _summary_sentence(space: SentenceSpace, i: int, score: float) -> SummarySentence:
    s: StorySentence = space.sentences[i]
    text, cut = strip_dateline(s.text)
    supporters = space.supporters_stating(i, SUPPORT)
    # Copies in the sentence's own family carry it too when they hold a near-identical sentence.
    evidence = [Evidence(s.article, s.start + cut, s.end)]
    for article, start, end in space.evidence_for(i, supporters)[1:]:
        evidence.append(Evidence(article, start, end))
    order = {a: k for k, a in enumerate(space.article_ids)}
    cited = sorted(set(supporters), key=order.__getitem__)
    return SummarySentence(
        text=text,
        articles=cited,
        evidence=evidence,
        source=s.article,
        score=round(score, 4),
        independent_sources=space.independent(cited),
    )
