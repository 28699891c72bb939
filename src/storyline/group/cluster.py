"""Streaming story clustering: each article joins the best-matching story or starts a new one.

Articles arrive in publication order (undated ones last). Each is compared with a bounded set of
candidate stories: those sharing one of its strongest keys in an inverted index over stories' top keys,
and, for a dated article, whose dates lie within `window_days` of its own. Similarity is the cosine of
TF-IDF vectors over terms and entity names (document frequencies learned as articles arrive; a story
sums its members' vectors as weighted when each joined), lowered by the time gap. An undated article
has no time window: its score moves with how the dates it states fit the story's (`calendar_fit`:
dates, day names, years, `since` dates) and with the figures both state (`quantity_fit`: 25 vs 50
basis points, a 38-35 vs a 25-22 final). A story whose last article is `retire_days` older than the
newest one goes dormant (out of the index used for dated, in-order articles); at most `max_dormant`
dormant stories are kept in memory for undated and late articles, so memory and cost per article stay
bounded on an endless stream. Story ids derive from the first article, so they are stable as stories grow.

An undated article goes to the candidate whose members it fits best on average rather than to the
one whose summed vector is closest (`rank_by_members`, on by default). A batch's undated articles are
first grouped among themselves (`stories.undated_groups`) and a group of reports that agree is placed
as a unit (`best_for_group`), so that one report of a look-alike event cannot pull the rest after it.
An alternative to the cosine rule, off by default (`ClusterSettings.learned`): a logistic model
trained on labelled stories (`scorer.py`, `benchmarks/train_stories.py`) decides whether an article
joins a candidate.
"""

from __future__ import annotations

import math
import operator
import re
import sys
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from itertools import filterfalse
from typing import Any, NamedTuple, Protocol

from storyline.group.features import ArticleFeatures, changes_differ, majority_step, majority_way, tally_change
from storyline.group.scorer import Fit, StoryModel, load_model
from storyline.group.scorer import vector as fit_vector


@dataclass(frozen=True)
class ClusterSettings:
    """How articles become stories.

    `threshold`: the similarity (0..1) above which an article joins a story. `window_days`: how far
    apart in time an article and a story may be (a preview a week ahead, follow-ups days later).
    `query_keys`: how many of an article's strongest keys look up candidates; `story_keys`: how many
    keys a story keeps (and indexes, `index_keys`). `max_candidates`: stories scored per article.
    """

    threshold: float = 0.16
    window_days: int = 8
    retire_days: int = 21
    max_dormant: int = 5000
    query_keys: int = 30
    article_keys: int = 60
    story_keys: int = 150
    dormant_keys: int = 60
    dormant_index_keys: int = 15
    index_keys: int = 40
    max_candidates: int = 40
    max_postings: int = 400
    gap_penalty: float = 0.3
    date_bonus: float = 0.1
    figure_penalty: float = 0.6
    figure_bonus: float = 0.03
    # A dated article's figures (a magnitude, a score, a storm's category) weighed against a story's of
    # `dated_figure_size` members or more, as an undated article's are: two occurrences of one kind of
    # event days apart share their words, not their figures. A story of one report is no core yet (one
    # report's preliminary magnitude or stray distance is not the event's). Chosen on dev + dev2-tune,
    # with their same-kind events moved in time to 4 and 12 days apart (tune 2 -> 1 and 1 -> 0 stories
    # mixing two events, dev 3 -> 2 and 1 -> 0): plain and dates-stripped runs unchanged; 1.0 is off.
    dated_figure_penalty: float = 0.6
    dated_figure_size: int = 2
    # ...and it joins only a story whose members it fits on average (its score to the summed vector as
    # a mean cosine to the members, `rank_by_members`) at least this well: the summed vector of a large
    # story of a look-alike event days before (another prime minister's resignation) scores above
    # `threshold` on the shared vocabulary alone. Chosen on dev + dev2-tune and their same-kind events
    # moved 4 and 12 days apart: 0.08-0.17 leave every plain and stripped run as it is, 0.11 and up
    # keep tune's two resignations 4 days apart (mixed 1 -> 0), 0.185 and up split dev stories.
    dated_member_floor: float = 0.14
    ambiguity: float = 0.85
    df_prune_at: int = 400_000
    # An event's span: a dated article never joins a story whose days would then run longer than this
    # (a follow-up days later joins; the same kind of event a fortnight on does not, via intermediaries).
    # On dev + dev2-tune, the days an event's dated reports cover (publication and event dates) span
    # at most 8, but one of 17 (dev's 2022 Fukushima quake and its follow-ups): 21 keeps them all.
    max_span_days: int = 21
    # Re-examining small stories (`consolidate`): a story of at most `merge_size` articles joins the
    # story its summed vector is closest to, when that cosine reaches `merge_threshold`, their days fit
    # (dated: within `window_days`, merged span within `max_span_days`; undated: no date or figure its
    # members state speaks against it) and no other story of other days is about as close.
    # (0.25 -> 0.2, chosen on dev + dev2-tune with the majority rule of `_days_fit`: 0.18-0.25 give the
    # same figures; 0.15 gains plain recall but merged two hurricanes when every date is stripped.)
    merge_size: int = 3
    merge_threshold: float = 0.2
    # True: whether an article joins a candidate is decided by the trained model (`scorer.py`,
    # probability at least its threshold) over how it fits the story's core. Off by default: its
    # cross-validated figures do not yet beat the cosine `threshold` rule (benchmarks/train_stories.py).
    learned: bool = False
    # True (the default): an undated article joins, among the stories above `threshold`, the one it
    # fits best member by member (the mean cosine to its members), not by the summed vector (see
    # `_best`): it separates dev2-tune's two Bank of England decisions (B-cubed F1 0.944 -> 0.969, no
    # mixed story; dev2-check 0.901 -> 0.910; dev 1.000). False restores the centroid ranking.
    rank_by_members: bool = True
    # An undated article that fits the members of its best story (mean cosine) less than this share
    # of its cosine to the closest undated article still to be placed starts its own story (`_best`).
    peer_ratio: float = 0.3
    # The batch's undated articles are first grouped among themselves (`stories.undated_groups`): two
    # reports pair up when their cosine reaches `group_threshold` and beats how well either fits the
    # members of a story already there; two groups join when the mean cosine over all pairs of their
    # members reaches it (average link). A group of `group_min` or more is placed as a unit
    # (`Clusterer.best_for_group`): it joins a story when its members' mean score reaches `threshold`
    # and their mean cosine to the story's members reaches `group_join`, else starts its own. Chosen on
    # dev + dev2-tune (plain, URL dates and all dates stripped): dates stripped 0.892 -> 0.922 (the two
    # Iceland eruptions apart), plain unchanged; pairs (`group_min` 2) cost plain recall.
    group_threshold: float = 0.25
    group_join: float = 0.14
    group_min: int = 3


@dataclass
class Story:
    """A story as the clusterer holds it: members in arrival order and the summed key weights."""

    id: str
    members: list[str]
    vector: dict[str, float]
    first: int | None = None
    last: int | None = None
    seen: int | None = None
    title: str | None = None
    dormant: bool = False
    indexed: list[str] = field(default_factory=list)
    created: int = 0
    # How many members lead with a decided rise and how many with a cut (`ArticleFeatures.direction`).
    moves: list[int] = field(default_factory=lambda: [0, 0])
    # ...and how many state each size of that change (basis points as text, `ArticleFeatures.step`).
    steps: dict[str, int] = field(default_factory=dict)

    @property
    def direction(self) -> int:
        """The way the change its members lead with goes (`majority_way`)."""
        return majority_way(self.moves)

    @property
    def step(self) -> int | None:
        """The size of that change, as most members state it (`majority_step`)."""
        return majority_step(self.steps)

    def to_dict(self) -> dict[str, Any]:
        # What `asdict` gives, without its deep copy of every key weight (the state of thousands of
        # stories is written on each update): containers copied one level, their items are immutable.
        return {f.name: _copied(getattr(self, f.name)) for f in fields(self)}


def _copied(value: Any) -> Any:
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


class StateChanges(NamedTuple):
    """A clusterer's state as changed since it was loaded (`Clusterer.state_changes`): `state` is
    `to_state()` without its stories; `updated` the loaded stories changed in place, `added` the
    stories not loaded (in the clusterer's order), both as `Story.to_dict()`; `gone` the ids of
    loaded stories no longer held (merged, emptied, evicted, or started again). `df`: the document
    frequencies of the keys counted since (then `state` holds no `df`), or None when the table was
    pruned (then `state["df"]` is the whole of it)."""

    state: dict[str, Any]
    updated: list[dict[str, Any]]
    added: list[dict[str, Any]]
    gone: list[str]
    df: dict[str, int] | None = None


class StoredStory(Protocol):
    """A dormant story as a store holds it, not yet decoded: what the index and the membership checks
    need (its members, indexed keys and days), and `story()`, its whole `Story.to_dict()`."""

    @property
    def id(self) -> str: ...
    @property
    def members(self) -> list[str]: ...
    @property
    def indexed(self) -> list[str]: ...
    @property
    def first(self) -> int | None: ...
    @property
    def last(self) -> int | None: ...
    def story(self) -> dict[str, Any]: ...


class StoryTable:
    """The clusterer's stories by id, in the clusterer's order. A dormant story loaded from a store
    may stay undecoded (`StoredStory`) until it is asked for: an update decodes only the stories its
    articles could join, not every dormant story kept (up to `max_dormant`), so that loading the state
    costs what the live stories cost, not what the store holds. Asking for one (`[]`, `get`, `values`,
    `items`) decodes it, through `decode`; `members_of`, `indexed_of`, `days_of` and `drop` do not."""

    def __init__(self, decode: Callable[[StoredStory], Story] | None = None) -> None:
        self._items: dict[str, Story | StoredStory] = {}
        self._decode = decode

    def _story(self, sid: str, item: Story | StoredStory) -> Story:
        if type(item) is Story:
            return item
        assert self._decode is not None
        story = self._items[sid] = self._decode(item)  # type: ignore[arg-type]
        return story

    def __getitem__(self, sid: str) -> Story:
        return self._story(sid, self._items[sid])

    def get(self, sid: str) -> Story | None:
        item = self._items.get(sid)
        return None if item is None else self._story(sid, item)

    def __setitem__(self, sid: str, story: Story) -> None:
        self._items[sid] = story

    def __delitem__(self, sid: str) -> None:
        del self._items[sid]

    def __contains__(self, sid: object) -> bool:
        return sid in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def pop(self, sid: str) -> Story:
        story = self[sid]
        del self._items[sid]
        return story

    def drop(self, sid: str) -> None:
        """Forget a story without decoding it."""
        del self._items[sid]

    def values(self) -> list[Story]:
        return [self._story(sid, item) for sid, item in list(self._items.items())]

    def items(self) -> list[tuple[str, Story]]:
        return [(sid, self._story(sid, item)) for sid, item in list(self._items.items())]

    def decoded(self) -> list[tuple[str, Story]]:
        """The stories held decoded (every story but the dormant ones not asked for), in order."""
        return [(sid, item) for sid, item in self._items.items() if type(item) is Story]

    def is_decoded(self, sid: str) -> bool:
        return type(self._items.get(sid)) is Story

    def members_of(self, sid: str) -> list[str]:
        return self._items[sid].members

    def indexed_of(self, sid: str) -> list[str]:
        return self._items[sid].indexed

    def days_of(self, sid: str) -> tuple[int | None, int | None]:
        item = self._items[sid]
        return item.first, item.last


_IDF_REFRESH = 2000
_MEMO_LIMIT = 20_000
_VALUE = operator.itemgetter(1)


def _overlap(a: Story, b: Story, slack: int) -> bool:
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return True
    return a.first - slack <= b.last and b.first - slack <= a.last


# An article that says something has held since a date was written after it: a story that ended
# this long before that date is another occurrence (a retrospective is the exception).
AFTER_SLACK = 45


def calendar_fit(features: ArticleFeatures, story: Story) -> float:
    """How well an undated article's dates fit a story's days, -1..1.

    1 when a date it states (with or without the year) falls in them. -1 when the story ended well
    before a date the article says something has held since (it was written later). Otherwise the sum
    of two weaker clues: for a story of a few days, 0.5 when a day name it uses falls in it and -0.5
    when none does; 0.5 when a year it mentions is the story's. A date that does not fit is no penalty
    by itself: articles cite earlier events.
    """
    if story.first is None or story.last is None:
        return 0.0
    low, high = story.first - 2, story.last + 2
    if any(low <= d <= high for d in features.stated_days):
        return 1.0
    if features.after is not None and features.after > story.last + AFTER_SLACK:
        return -1.0
    fit = 0.0
    year_fits = True
    if features.years:
        first_year, last_year = date.fromordinal(story.first).year, date.fromordinal(story.last).year
        year_fits = any(first_year <= y <= last_year for y in features.years)
        if year_fits:
            fit += 0.5
    if not features.calendar:
        return fit
    days = [date.fromordinal(d) for d in range(low, min(high, low + 60) + 1)]
    month_days = {f"md:{d.month:02d}-{d.day:02d}" for d in days}
    if any(c in month_days for c in features.calendar):
        # The day of the month fits: evidence when the year the text gives (if any) fits too.
        return 1.0 if year_fits else fit
    if story.last - story.first < 6:
        # Only a short story's days say which day names fit; a long one spans every weekday.
        named = [c for c in features.calendar if c.startswith("weekday:")]
        weekdays = {f"weekday:{d.weekday()}" for d in days[2:-1] or days}
        if named:
            # Reports name the days of the event they cover: none of them fitting is evidence of
            # another occurrence.
            fit += 0.5 if any(c in weekdays for c in named) else -0.5
    return max(-1.0, min(1.0, fit))


# A number with what it counts (`50~basis`, `7.3~magnitude`, see `text.terms`) or a score (`38-35`):
# two reports of one event state the same figures, two occurrences different ones (a 25 vs a 50
# basis-point move, a 7.3 vs a 7.4 quake, last year's final score vs this year's).
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_SCORE = re.compile(r"^(\d{1,3})-(\d{1,3})$")
# Ordinal suffixes are not units (`1~st`, `6~th`); a report gives many percentages (several rates,
# shares, polls), so two reports of one event rarely state the same set of them.
_NOT_UNITS = frozenset({"st", "nd", "rd", "th", "percent", "per", "pct"})


def quantities(keys: Iterable[str]) -> dict[str, set[str]]:
    """The stated figures among `keys`, by what they count: `{"basis": {"25"}, "#score": {"38-35"}}`."""
    out: dict[str, set[str]] = {}
    for key in keys:
        if not key[:1].isdigit():
            continue
        number, sep, unit = key.partition("~")
        if sep:
            # Separators are house style (`11:36 pm`, `11.36pm`); a year names an occasion, which
            # articles cite as background (`the 2011 quake`), not a figure of this event.
            number = number.replace(":", "").replace(",", "")
            if unit not in _NOT_UNITS and not unit[:1].isdigit() and not _YEAR.match(number):
                out.setdefault(unit, set()).add(number)
        else:
            score = _SCORE.match(key)
            if score and int(score[1]) < 200 and int(score[2]) < 200:
                out.setdefault("#score", set()).add(key)
    return out


def quantity_fit(article: dict[str, set[str]], story: dict[str, set[str]]) -> int:
    """How many of the things both count they count alike, less how many they count differently."""
    fit = 0
    for unit, numbers in article.items():
        theirs = story.get(unit)
        if theirs:
            fit += 1 if numbers & theirs else -1
    return fit


def story_id(first_member: str) -> str:
    """A story's id, from its first article: stable as the story grows."""
    return f"st-{first_member}"


def _pruned(df: dict[str, int], keep: int) -> dict[str, int]:
    """The document frequencies without their rarest keys (those seen once, then twice, ...) until at
    most `keep` are left. Keys seen once carry no shared evidence yet; dropping them bounds memory on a
    long stream. When most keys recur (a large vocabulary), dropping those seen once frees little, and
    a table left just under the limit would be pruned again on every article, each time a pass over
    the whole table: pruning to half the limit makes it rare."""
    sizes = Counter(df.values())
    floor, left = 2, len(df) - sizes.get(1, 0)
    for count in sorted(c for c in sizes if c > 1):
        if left <= keep:
            break
        left -= sizes[count]
        floor = count + 1
    return {k: v for k, v in df.items() if v >= floor}


class Clusterer:
    """The incremental story index. `add(features)` returns the id of the story the article joined.

    State is plain data (`to_state()` / `from_state()`), so a later run continues the same stories.
    """

    def __init__(self, settings: ClusterSettings | None = None) -> None:
        self.settings = settings or ClusterSettings()
        self.stories = StoryTable(self._restore)
        self.df: dict[str, int] = {}
        self.docs = 0
        self.clock: int | None = None
        self.assignments = 0
        # key -> story ids: `_active` for stories still receiving articles, `_all` adds dormant ones.
        # Lists, not sets: most keys index one or two stories, and a small list costs a third of a set.
        self._active: dict[str, list[str]] = {}
        self._all: dict[str, list[str]] = {}
        self._dormant: OrderedDict[str, None] = OrderedDict()
        self._live: set[str] = set()
        self._norms: dict[str, float] = {}
        self._stated: tuple[str, dict[str, set[str]]] | None = None
        # An undated article is scored several times in a batch (grouped, placed, told its peers): its
        # weights are kept while the document counts stay as they are (`_undated_vectors`).
        self._memo: dict[str, tuple[dict[str, float], dict[str, float], dict[str, float]]] = {}
        self._memo_docs = -1
        self._stated_memo: dict[str, tuple[dict[str, float], dict[str, set[str]]]] = {}
        self._story_figures: dict[str, dict[str, set[str]]] = {}
        # idf values change slowly; they are cached and recomputed after every `_IDF_REFRESH` articles.
        self._idf: dict[str, float] = {}
        self._idf_docs = 0
        self.evicted: list[str] = []
        # Stories merged into others (`consolidate`): merged id -> the id it lives on as.
        self.aliases: dict[str, str] = {}
        self.model: StoryModel | None = load_model() if self.settings.learned else None
        # Training (`benchmarks/train_stories.py`): sees each article's candidates and their model inputs.
        self.recorder: Callable[[ArticleFeatures, list[tuple[Story, list[float]]]], None] | None = None
        # The stories as `from_state` loaded them (id -> the story and its loaded data; None and None
        # for a dormant story not decoded yet), else None.
        self._loaded: dict[str, tuple[Story | None, dict[str, Any] | None]] | None = None
        # The keys counted since `from_state` (their frequencies are all a store needs to write), or
        # None when the whole table is to be written (not loaded, or pruned since).
        self._df_counted: set[str] | None = None

    # --- document frequencies --------------------------------------------------------------------

    def observe(self, features: ArticleFeatures) -> None:
        """Count the article's keys in the document frequencies (before or while clustering it)."""
        self.docs += 1
        df = self.df
        for key in features.keys:
            if key in df:
                df[key] += 1
            else:
                df[sys.intern(key)] = 1
        if self._df_counted is not None:
            self._df_counted.update(features.keys)
        if len(df) > self.settings.df_prune_at:
            self.df = _pruned(df, self.settings.df_prune_at // 2)
            self._df_counted = None

    def idf(self, key: str) -> float:
        """Inverse document frequency of a key (smoothed), from a cache refreshed as documents grow."""
        self._refresh_idf()
        value = self._idf.get(key)
        if value is None:
            value = self._idf[key] = math.log((self.docs + 1) / (self.df.get(key, 0) + 1)) + 1.0
        return value

    def _refresh_idf(self) -> None:
        if self.docs - self._idf_docs > max(_IDF_REFRESH, self._idf_docs // 10) or len(self._idf) > 500_000:
            self._idf.clear()
            self._idf_docs = self.docs

    def _weighted(self, keys: dict[str, float], limit: int) -> dict[str, float]:
        # The hot path of every article: the idf lookups are inlined (one cache check per article, not
        # one function call per key).
        self._refresh_idf()
        cache, df, log, total = self._idf, self.df, math.log, self.docs + 1
        # (Not `keys.keys() - cache.keys()`: that walks the whole cache.)
        # The filter and the products run in C (`map`, `zip`): a Python loop per key costs twice as much.
        for key in list(filterfalse(cache.__contains__, keys)):
            cache[key] = log(total / (df.get(key, 0) + 1)) + 1.0
        weighted = dict(zip(keys, map(operator.mul, keys.values(), map(cache.__getitem__, keys)), strict=True))
        if len(weighted) > limit:
            weighted = self._top(weighted, limit)
        return weighted

    def _keep_memos(self) -> None:
        """Forget the batch's remembered weights and figures once a document was counted (the weights
        move) or either memo passed `_MEMO_LIMIT`."""
        if self._memo_docs != self.docs or max(len(self._memo), len(self._stated_memo)) > _MEMO_LIMIT:
            self._memo.clear()
            self._stated_memo.clear()
            self._memo_docs = self.docs

    def _undated_vectors(self, features: ArticleFeatures) -> tuple[dict[str, float], dict[str, float]]:
        """An article's weights on all its keys and on its `article_keys` strongest, as `add` uses
        them, remembered for the batch (the same weights while no document is added)."""
        self._keep_memos()
        memo = self._memo
        hit = memo.get(features.id)
        if hit is None or hit[0] is not features.keys:
            full = self._weighted(features.keys, len(features.keys))
            hit = memo[features.id] = (features.keys, full, self._top(full, self.settings.article_keys))
        return hit[1], hit[2]

    def _quantities(self, features: ArticleFeatures) -> dict[str, set[str]]:
        """`quantities` of the article's keys, remembered for the article last asked about (and for
        the batch's undated ones, which are scored again and again)."""
        if self._stated is not None and self._stated[0] == features.id:
            return self._stated[1]
        if features.day is None:
            self._keep_memos()
            memo = self._stated_memo
            hit = memo.get(features.id)
            if hit is None or hit[0] is not features.keys:
                hit = memo[features.id] = (features.keys, quantities(features.keys))
            stated = hit[1]
        else:
            stated = quantities(features.keys)
        self._stated = (features.id, stated)
        return stated

    # --- clustering ------------------------------------------------------------------------------

    def add(
        self,
        features: ArticleFeatures,
        hint: str | None = None,
        observe: bool = False,
        alone: bool = False,
        peer: float = 0.0,
    ) -> str:
        """Place one article: in story `hint` when given and known (a copy of a member), else in the
        best-matching candidate story above the threshold, else in a new story (at once when `alone`).
        `peer`: for an undated article, its cosine to the closest undated article still to be placed
        (`stories.cluster_features`): one that fits the members of every story less well than that
        report starts a story of its own, which the report can join."""
        if observe:
            self.observe(features)
        day = features.day
        if day is not None and (self.clock is None or day > self.clock):
            self.clock = day
            self._retire()
        if day is None:
            weighted, top = self._undated_vectors(features)
        else:
            weighted, top = self._weighted(features.keys, len(features.keys)), None
        target = self.stories.get(hint) if hint else None
        if self.recorder is not None and (target is not None or alone):
            self._best(features, top or self._top(weighted, self.settings.article_keys))  # seen by the recorder
        if target is None and not alone:
            target = self._best(features, top or self._top(weighted, self.settings.article_keys), peer)
        if target is None:
            sid = story_id(features.id)
            founded = self.stories.get(sid)
            if founded is not None and features.id in founded.members:  # the same article placed twice
                return sid
            # An article placed again (its text changed) that fits no story returns to the one it
            # started, when that one lives on with other members: ids stay unique and stable.
            target = founded or Story(id=sid, members=[], vector={}, title=features.title, created=self.assignments)
            self.stories[sid] = target
        self._join(target, features, weighted)
        self.assignments += 1
        return target.id

    def similarity(
        self, features: ArticleFeatures, story: Story, vector: dict[str, float] | None = None, norm: float | None = None
    ) -> float:
        """How well an article matches a story: cosine of TF-IDF vectors, lowered by the time gap.
        `vector` and its `norm` are the article's, when the caller already has them."""
        if vector is None:
            vector = self._weighted(features.keys, self.settings.article_keys)
        if norm is None:
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return self._score(features, story, vector, norm, self._gap(features, story))

    def _score(
        self, features: ArticleFeatures, story: Story, vector: dict[str, float], norm: float, gap: int | None
    ) -> float:
        story_vector = story.vector
        # The shared keys are found by a set intersection in C; fsum makes the dot product independent
        # of the order in which they come out.
        shared = vector.keys() & story_vector.keys()
        dot = math.fsum([vector[key] * story_vector[key] for key in shared]) if shared else 0.0
        score = dot / (norm * self._norm(story))
        if gap is not None:
            window = self.settings.window_days
            score *= 1.0 - self.settings.gap_penalty * min(gap, window) / window
            if self._opposed(features, story):
                # Days apart within the window, but another decision of the same body (a full-point
                # cut days after a half-point one): dated reports of it make a story of their own.
                return 0.0
            settings = self.settings
            if settings.dated_figure_penalty < 1.0 and len(story.members) >= settings.dated_figure_size:
                fit = self._figures(features, story)
                if fit < 0:
                    score *= settings.dated_figure_penalty ** min(-fit, 2)
        elif features.day is None:
            # An undated article has no time window: when and what it counts place it instead.
            score += self.settings.date_bonus * calendar_fit(features, story)
            fit = self._figures(features, story) - self._opposed(features, story)
            if fit < 0:
                score *= self.settings.figure_penalty ** min(-fit, 2)
            elif fit > 0:
                score += self.settings.figure_bonus * min(fit, 2)
        return score

    def _figures(self, features: ArticleFeatures, story: Story) -> int:
        # Both sides' figures are cached: the article's for its candidates, a story's until it changes.
        stated = self._quantities(features)
        if not stated:
            return 0
        theirs = self._story_figures.get(story.id)
        if theirs is None:
            theirs = self._story_figures[story.id] = quantities(story.vector)
        return quantity_fit(stated, theirs)

    def _against(self, features: ArticleFeatures, story: Story) -> bool:
        """Whether an undated article's dates or figures speak against a story (see `_score`)."""
        fit = self._figures(features, story) - self._opposed(features, story)
        return calendar_fit(features, story) < 0 or fit < 0

    @staticmethod
    def _opposed(features: ArticleFeatures, story: Story) -> int:
        """2 when the article leads with another decided change than its story's (a cut against a
        story of a hike, a full-point cut against one of a half-point cut; `changes_differ`), else
        0: weighed as two figures the two state differently, the most `_score` counts, since
        one body's two decisions share the rest of their words and figures."""
        return 2 * changes_differ(features.direction, features.step, story.direction, story.step)

    def _gap(self, features: ArticleFeatures, story: Story) -> int | None:
        anchors = features.anchors
        if features.day is None or anchors is None or story.first is None or story.last is None:
            return None
        low, high = anchors
        return max(0, story.first - high, low - story.last)

    def _best(self, features: ArticleFeatures, vector: dict[str, float], peer: float = 0.0) -> Story | None:
        settings = self.settings
        query = self._top(vector, settings.query_keys).items() if len(vector) > settings.query_keys else vector.items()
        late = features.day is None or (self.clock is not None and features.day < self.clock - settings.retire_days)
        postings = self._all if late else self._active
        # A missing story starts at 0.0, and 0.0 + weight is weight: the sums are those of `get(sid, 0.0)`.
        hits: defaultdict[str, float] = defaultdict(float)
        for key, weight in query:
            ids = postings.get(key)
            if ids and len(ids) <= settings.max_postings:
                for sid in ids:
                    hits[sid] += weight
        if not hits:
            return None
        if self.model is not None:
            return self._best_learned(features, vector, hits)
        scored: list[tuple[float, Story]] = []
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        # Strongest first, so that equal scores keep the story with more shared keys first.
        # The article's days are worked out once, not per candidate (the same as `_gap`).
        anchors = features.anchors if features.day is not None else None
        window, stories, norms, fsum = settings.window_days, self.stories, self._norms, math.fsum
        keys, penalty, span = vector.keys(), settings.gap_penalty, settings.max_span_days
        changing = features.direction != 0 or features.step is not None
        dated_penalty, figure_size = settings.dated_figure_penalty, settings.dated_figure_size
        threshold, member_floor = settings.threshold, settings.dated_member_floor
        stated = anchors is not None and dated_penalty < 1.0 and bool(self._quantities(features))
        for sid, _ in sorted(hits.items(), key=_VALUE, reverse=True)[: settings.max_candidates]:
            story = stories[sid]
            if anchors is not None and story.first is not None and story.last is not None:
                gap = max(0, story.first - anchors[1], anchors[0] - story.last)
                if gap > window or max(story.last, anchors[1]) - min(story.first, anchors[0]) > span:
                    continue
                if changing and self._opposed(features, story):
                    continue  # another decision of the same body (see `_score`)
                # `_score` for a dated article, inlined (the same operations in the same order): this
                # loop runs for every candidate of every article.
                story_vector = story.vector
                shared = keys & story_vector.keys()
                dot = fsum([vector[key] * story_vector[key] for key in shared]) if shared else 0.0
                story_norm = norms.get(sid)
                if story_norm is None:
                    story_norm = self._norm(story)
                score = dot / (norm * story_norm)
                score *= 1.0 - penalty * min(gap, window) / window
                # Figures and the member floor can only lower a score: one below `threshold` stays
                # out whatever they say, and costs no look at the story's figures.
                if score >= threshold:
                    if stated and len(story.members) >= figure_size:
                        fit = self._figures(features, story)
                        if fit < 0:
                            score *= dated_penalty ** min(-fit, 2)
                    if score * story_norm / len(story.members) < member_floor:
                        continue
                scored.append((score, story))
                continue
            scored.append((self._score(features, story, vector, norm, None), story))
        if not scored:
            return None
        scored.sort(key=lambda pair: -pair[0])
        best_score, best = scored[0]
        if best_score < settings.threshold:
            return None
        if features.day is None and settings.rank_by_members:
            # Among the stories it could join, an undated article goes to the one whose members it fits
            # best on average, not to the one whose summed vector is closest: the sum of a large story
            # averages its members' differences away, so a large story of a look-alike event (last
            # year's rate cut) outbids a small one of its own (this year's hike). The sum of unit member
            # vectors makes the mean cosine to the members the centroid cosine times |sum| / size.
            scored = sorted(
                (
                    (score * self._norm(story) / max(1, len(story.members)), story)
                    for score, story in scored
                    if score >= settings.threshold
                ),
                key=lambda pair: -pair[0],
            )
            best_score, best = scored[0]
            if best_score < settings.peer_ratio * peer:
                # Closer to a report still to come than to the members of any story: with no day to
                # place it, the story it would join is most likely a look-alike event's (last year's
                # ceremony, the other rate decision) that had dated reports, and its own event none yet.
                return None
        if features.day is None and len(scored) > 1:
            # An undated article that fits two occurrences apart in time about equally well (last
            # year's and this year's final) belongs to neither with any confidence: it starts its own.
            # Not when the dates or figures it states rule the runner-up out and not the best.
            runner_score, runner = scored[1]
            if (
                runner_score >= settings.ambiguity * best_score
                and not _overlap(best, runner, settings.window_days)
                and not (self._against(features, runner) and not self._against(features, best))
            ):
                return None
        return best

    def member_fit(self, features: ArticleFeatures) -> float:
        """How well an undated article fits the members of the story it fits best (the mean cosine to
        a story's members, moved by the dates and figures it states, as `best_for_group` scores); 0
        when no story shares its strongest keys."""
        return max((members for _, members, _ in self._group_scores([features])), default=0.0)

    def _group_scores(self, group: list[ArticleFeatures]) -> list[tuple[float, float, Story]]:
        """For each candidate story of a group: the members' mean `_score` and that mean as a mean
        cosine to the story's members."""
        settings = self.settings
        vectors = [self._undated_vectors(f)[1] for f in group]
        hits: defaultdict[str, float] = defaultdict(float)
        for vector in vectors:
            query = self._top(vector, settings.query_keys)
            for key, weight in query.items():
                ids = self._all.get(key)
                if ids and len(ids) <= settings.max_postings:
                    for sid in ids:
                        hits[sid] += weight
        if not hits:
            return []
        norms = [math.sqrt(sum(v * v for v in vector.values())) or 1.0 for vector in vectors]
        scored: list[tuple[float, float, Story]] = []
        for sid, _ in sorted(hits.items(), key=_VALUE, reverse=True)[: settings.max_candidates * 2]:
            story = self.stories[sid]
            scores = [self._score(f, story, v, n, None) for f, v, n in zip(group, vectors, norms, strict=True)]
            mean = math.fsum(scores) / len(scores)
            scored.append((mean, mean * self._norm(story) / max(1, len(story.members)), story))
        return scored

    def best_for_group(self, group: list[ArticleFeatures]) -> Story | None:
        """The story a group of undated articles (reports the batch's undated articles form among
        themselves, `stories.undated_groups`) joins as a unit, or None for a story of their own.

        Each candidate is scored for every member as `_best` scores one undated article (cosine to the
        story's summed vector, moved by the dates and figures the member states); the group's score is
        the mean over its members, and it goes to the candidate its members fit best on average, member
        by member (`rank_by_members`), when that mean reaches `threshold`. One report of a look-alike
        event no longer pulls the others in after it: the group decides once, on all of them.
        """
        settings = self.settings
        # A group whose reports lead with a change one way never joins a story of the other way
        # (as two groups never join in `undated_groups`): the figures of a hike and of the cut
        # that undoes it are the same numbers.
        moves: list[int] = [0, 0]
        steps: dict[str, int] = {}
        for member in group:
            tally_change(moves, steps, member)
        way, step = majority_way(moves), majority_step(steps)
        scored = [
            item for item in self._group_scores(group) if not changes_differ(way, step, item[2].direction, item[2].step)
        ]
        fitting = [item for item in scored if item[0] >= settings.threshold and item[1] >= settings.group_join]
        if not fitting:
            return None
        ranked = sorted(
            ((members if settings.rank_by_members else mean, story) for mean, members, story in fitting),
            key=lambda item: (-item[0], item[1].id),
        )
        best = ranked[0]
        for other in ranked[1:]:
            if other[0] < settings.ambiguity * best[0]:
                break
            if not _overlap(best[1], other[1], settings.window_days):
                # About as close to two occurrences apart in time: neither, with any confidence.
                return None
        return best[1]

    def _best_learned(
        self, features: ArticleFeatures, vector: dict[str, float], hits: dict[str, float]
    ) -> Story | None:
        """`_best` by the trained model: the candidate most probably of the article's event, when that
        probability reaches the model's threshold. The span cap stays a rule: a dated article never
        stretches a story beyond `max_span_days` nor joins one further than `window_days` away."""
        settings, model = self.settings, self.model
        assert model is not None
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        anchors = features.anchors if features.day is not None else None
        window, span_cap = settings.window_days, settings.max_span_days
        keys, fsum = vector.keys(), math.fsum
        fits: list[tuple[Fit, Story]] = []
        for sid, _ in sorted(hits.items(), key=_VALUE, reverse=True)[: settings.max_candidates]:
            story = self.stories[sid]
            gap = span = 0.0
            timed = anchors is not None and story.first is not None and story.last is not None
            if timed:
                assert anchors is not None and story.first is not None and story.last is not None
                days_apart = max(0, story.first - anchors[1], anchors[0] - story.last)
                length = max(story.last, anchors[1]) - min(story.first, anchors[0])
                if days_apart > window or length > span_cap:
                    continue
                gap, span = days_apart / window, length / span_cap
            shared = keys & story.vector.keys()
            dot = fsum([vector[key] * story.vector[key] for key in shared]) if shared else 0.0
            agree, differ = self._figure_counts(features, story)
            fits.append(
                (
                    Fit(
                        centroid=dot / (norm * self._norm(story)),
                        members=dot / (norm * max(1, len(story.members))),
                        size=max(1, len(story.members)),
                        gap=gap,
                        span=span,
                        untimed=not timed,
                        calendar=calendar_fit(features, story) if features.day is None else 0.0,
                        agree=agree,
                        differ=differ,
                    ),
                    story,
                )
            )
        if not fits:
            return None
        best_centroid = max(f.centroid for f, _ in fits)
        best_members = max(f.members for f, _ in fits)
        inputs = []
        for fit, story in fits:
            rival = max(
                (f.members for f, other in fits if other is not story and not _overlap(story, other, window)),
                default=0.0,
            )
            inputs.append((story, fit_vector(fit, best_centroid, best_members, rival)))
        if self.recorder is not None:
            self.recorder(features, inputs)
        scored = sorted(((model.probability(x), story) for story, x in inputs), key=lambda pair: -pair[0])
        best_p, best = scored[0]
        return best if best_p >= model.threshold else None

    def _figure_counts(self, features: ArticleFeatures, story: Story) -> tuple[int, int]:
        """How many of the things both count they count alike, and how many differently."""
        stated = self._quantities(features)
        if not stated:
            return 0, 0
        theirs = self._story_figures.get(story.id)
        if theirs is None:
            theirs = self._story_figures[story.id] = quantities(story.vector)
        agree = differ = 0
        for unit, numbers in stated.items():
            other = theirs.get(unit)
            if other:
                if numbers & other:
                    agree += 1
                else:
                    differ += 1
        return agree, differ

    def _join(self, story: Story, features: ArticleFeatures, weighted: dict[str, float]) -> None:
        """Add an article to a story: its TF-IDF vector (idf as of now, unit length) joins the story's
        summed vector, pruned to its `story_keys` strongest."""
        story.members.append(features.id)
        tally_change(story.moves, story.steps, features)
        vector = story.vector
        length = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
        for key, value in weighted.items():
            if key in vector:
                vector[key] += value / length
            else:
                # One string per key across all stories (articles each bring their own copies).
                vector[sys.intern(key)] = value / length
        if len(vector) > self.settings.story_keys * 3 // 2:
            story.vector = vector = self._top(vector, self.settings.story_keys)
        anchors = features.anchors
        if anchors is not None and features.day is not None:
            story.first = anchors[0] if story.first is None else min(story.first, anchors[0])
            story.last = anchors[1] if story.last is None else max(story.last, anchors[1])
        if features.day is not None:
            story.seen = features.day if story.seen is None else max(story.seen, features.day)
        elif story.seen is None:
            # An undated story retires like one last seen now.
            story.seen = self.clock
        revived = story.dormant
        if revived:
            story.dormant = False
            self._dormant.pop(story.id, None)
        self._live.add(story.id)
        self._norms.pop(story.id, None)
        self._story_figures.pop(story.id, None)
        self._index(story, force=revived)

    @staticmethod
    def _top(vector: dict[str, float], n: int) -> dict[str, float]:
        """The `n` largest entries (ties in insertion order, as `heapq.nlargest`): sorting in C beats
        a heap in Python at these sizes."""
        if len(vector) <= n:
            return dict(vector)
        return dict(sorted(vector.items(), key=_VALUE, reverse=True)[:n])

    def _norm(self, story: Story) -> float:
        norm = self._norms.get(story.id)
        if norm is None:
            norm = math.sqrt(sum(v * v for v in story.vector.values())) or 1.0
            self._norms[story.id] = norm
        return norm

    def _index(self, story: Story, force: bool = False) -> None:
        """(Re)index a story under its strongest keys, at sizes 1, 2, 4, 8...: the cost per article
        stays bounded however large a story grows. Dormant stories keep fewer keys."""
        size = len(story.members)
        if story.indexed and size & (size - 1) and not force:
            return
        self._unindex(story)
        limit = self.settings.dormant_index_keys if story.dormant else self.settings.index_keys
        # Vector keys are interned when they join (`_join`, `from_state`): no need to intern them again.
        story.indexed = list(self._top(story.vector, limit))
        for key in story.indexed:
            self._all.setdefault(key, []).append(story.id)
            if not story.dormant:
                self._active.setdefault(key, []).append(story.id)

    def _unindex(self, story: Story, postings: tuple[dict[str, list[str]], ...] | None = None) -> None:
        self._unindex_keys(story.id, story.indexed, postings)

    def _unindex_keys(
        self, sid: str, indexed: list[str], postings: tuple[dict[str, list[str]], ...] | None = None
    ) -> None:
        for index in postings or (self._active, self._all):
            for key in indexed:
                ids = index.get(key)
                if ids is not None:
                    try:
                        ids.remove(sid)
                    except ValueError:  # never indexed here (a dormant story is not in `_active`)
                        continue
                    if not ids:
                        del index[key]

    def _retire(self) -> None:
        """Move stories that stopped receiving articles out of the active index; forget the oldest
        dormant ones beyond `max_dormant` (they stay in the store)."""
        assert self.clock is not None
        horizon = self.clock - self.settings.retire_days
        # Scanning the live stories when the clock moves to a new day costs the number of live stories,
        # which the horizon bounds. Retired least recently seen first, then by id (not in the order of
        # the set of live ids, which differs between processes): the saved `dormant` list, and so which
        # story is forgotten first, is the same in every run.
        stale = [self.stories[sid] for sid in self._live]
        retired = sorted((s for s in stale if s.seen is not None and s.seen < horizon), key=lambda s: (s.seen, s.id))
        for story in retired:
            story.dormant = True
            self._live.discard(story.id)
            # A dormant story is only looked up again by undated or late articles: keep it compact.
            story.vector = self._top(story.vector, self.settings.dormant_keys)
            self._norms.pop(story.id, None)
            self._story_figures.pop(story.id, None)
            self._index(story, force=True)
            self._dormant[story.id] = None
        while len(self._dormant) > self.settings.max_dormant:
            sid, _ = self._dormant.popitem(last=False)
            # Forgotten without being decoded: its id and indexed keys are all that is needed.
            self._unindex_keys(sid, self.stories.indexed_of(sid), (self._all,))
            self.stories.drop(sid)
            self._norms.pop(sid, None)
            self._story_figures.pop(sid, None)
            self.evicted.append(sid)

    def members(self) -> dict[str, str]:
        """Article id -> story id, for every member of a story held in memory."""
        # From what the store lists with each story: no dormant story is decoded for this.
        stories = self.stories
        return {member: sid for sid in stories for member in stories.members_of(sid)}

    def remove(self, article_ids: Iterable[str]) -> list[str]:
        """Take articles out of their stories (to place them again: their text changed). Returns the
        ids of the stories they left; a story left empty is forgotten. The story keeps its date span
        and the weights the articles added to its summed vector (a pruned sum cannot be taken apart),
        and the document frequencies keep their keys: both are statistics, placing an article again
        only nudges them."""
        leaving = set(article_ids)
        left: list[str] = []
        if not leaving:
            return left
        for sid in list(self.stories):
            if leaving.isdisjoint(self.stories.members_of(sid)):
                continue
            story = self.stories[sid]
            left.append(story.id)
            story.members = [m for m in story.members if m not in leaving]
            if not story.members:
                self._unindex(story)
                del self.stories[story.id]
                self._dormant.pop(story.id, None)
                self._live.discard(story.id)
            self._norms.pop(story.id, None)
            self._story_figures.pop(story.id, None)
        return left

    # --- re-examining small stories ----------------------------------------------------------------

    def consolidate(
        self, story_ids: Iterable[str], features: dict[str, ArticleFeatures] | None = None
    ) -> dict[str, str]:
        """Look again at the small stories among `story_ids` against the stories they resemble, and
        merge each into the one whose core (summed vector) agrees (see `ClusterSettings.merge_size`).
        The older story keeps its id; the other's id becomes an alias (`aliases`). `features`: the
        features of articles placed in this run, whose stated dates and figures are checked for
        undated members. Returns merged id -> surviving id for the merges made."""
        settings = self.settings
        features = features or {}
        merged: dict[str, str] = {}
        small = [self.stories[i] for i in dict.fromkeys(story_ids) if i in self.stories]
        for story in sorted(small, key=lambda s: (len(s.members), s.created, s.id)):
            if story.id not in self.stories or len(story.members) > settings.merge_size:
                continue
            target = self._closest(story, features)
            if target is None:
                continue
            keep, gone = (
                (target, story) if (target.created, target.id) <= (story.created, story.id) else (story, target)
            )
            self._merge(keep, gone)
            merged[gone.id] = keep.id
        for old, new in list(merged.items()):
            while new in merged:
                new = merged[new]
            merged[old] = new
        return merged

    def _story_cosine(self, a: Story, b: Story) -> float:
        shared = a.vector.keys() & b.vector.keys()
        if not shared:
            return 0.0
        return math.fsum([a.vector[k] * b.vector[k] for k in shared]) / (self._norm(a) * self._norm(b))

    def _days_fit(self, story: Story, other: Story, features: dict[str, ArticleFeatures]) -> bool:
        if changes_differ(story.direction, story.step, other.direction, other.step):
            return False
        if story.first is not None and story.last is not None and other.first is not None and other.last is not None:
            return self._days_may_fit(story, other.first, other.last)
        # Undated on one side: what the undated members state must not speak against the other, for
        # most of them (one report's stray figure, a distance or a count of its own, is no veto).
        for small, big in ((story, other), (other, story)):
            if small.first is None:
                stated = [features.get(m) for m in small.members]
                verdicts = [self._against(f, big) for f in stated if f is not None and f.day is None]
                if 2 * sum(verdicts) > len(verdicts):
                    return False
        return True

    def _days_may_fit(self, story: Story, first: int | None, last: int | None) -> bool:
        """False when `_days_fit(story, other)` is False by the other's days alone (both dated, too far
        apart or spanning too long together)."""
        if story.first is None or story.last is None or first is None or last is None:
            return True
        gap = max(0, first - story.last, story.first - last)
        span = max(story.last, last) - min(story.first, first)
        return gap <= self.settings.window_days and span <= self.settings.max_span_days

    def _closest(self, story: Story, features: dict[str, ArticleFeatures]) -> Story | None:
        settings = self.settings
        hits: defaultdict[str, float] = defaultdict(float)
        for key, weight in self._top(story.vector, settings.query_keys).items():
            ids = self._all.get(key)
            if ids and len(ids) <= settings.max_postings:
                for sid in ids:
                    if sid != story.id:
                        hits[sid] += weight
        scored = []
        for sid, _ in sorted(hits.items(), key=_VALUE, reverse=True)[: settings.max_candidates]:
            if not self._days_may_fit(story, *self.stories.days_of(sid)):
                # Its days alone rule it out (`_days_fit` is False): neither a match nor a rival, and
                # a dormant story left undecoded.
                continue
            other = self.stories[sid]
            scored.append((self._story_cosine(story, other), other))
        scored.sort(key=lambda pair: (-pair[0], pair[1].id))
        fitting = [(score, other) for score, other in scored if self._days_fit(story, other, features)]
        if not fitting or fitting[0][0] < settings.merge_threshold:
            return None
        best_score, best = fitting[0]
        # As with an undated article: two stories of other days about as close leave it alone.
        for score, other in scored:
            close = other is not best and score >= settings.ambiguity * best_score
            if close and not _overlap(best, other, settings.window_days) and self._days_fit(story, other, features):
                return None
        return best

    def _merge(self, keep: Story, gone: Story) -> None:
        """Move `gone`'s members and weights into `keep`; `gone`'s id becomes an alias of `keep`'s."""
        self._unindex(gone)
        keep.members.extend(gone.members)
        keep.moves = [a + b for a, b in zip(keep.moves, gone.moves, strict=True)]
        keep.steps = {k: keep.steps.get(k, 0) + gone.steps.get(k, 0) for k in keep.steps.keys() | gone.steps.keys()}
        vector = keep.vector
        for key, value in gone.vector.items():
            vector[key] = vector.get(key, 0.0) + value
        if len(vector) > self.settings.story_keys * 3 // 2:
            keep.vector = self._top(vector, self.settings.story_keys)
        for attr, pick in (("first", min), ("last", max), ("seen", max)):
            a, b = getattr(keep, attr), getattr(gone, attr)
            setattr(keep, attr, b if a is None else a if b is None else pick(a, b))
        del self.stories[gone.id]
        self._dormant.pop(gone.id, None)
        self._live.discard(gone.id)
        for cache in (self._norms, self._story_figures):
            cache.pop(gone.id, None)
            cache.pop(keep.id, None)
        for alias, target in self.aliases.items():
            if target == gone.id:
                self.aliases[alias] = keep.id
        self.aliases[gone.id] = keep.id
        if keep.dormant and not gone.dormant:
            keep.dormant = False
            self._dormant.pop(keep.id, None)
            self._live.add(keep.id)
        self._index(keep, force=True)

    # --- state -----------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Everything needed to continue clustering later, as JSON-ready data."""
        return {**self._scalar_state(), "stories": [s.to_dict() for s in self.stories.values()]}

    def _scalar_state(self) -> dict[str, Any]:
        return {
            "settings": asdict(self.settings),
            "docs": self.docs,
            "df": self.df,
            "clock": self.clock,
            "assignments": self.assignments,
            "dormant": list(self._dormant),
            "aliases": self.aliases,
        }

    def state_changes(self) -> StateChanges | None:
        """What changed in the state since `from_state()`: the state without its stories, and the
        stories changed in place, added (in the clusterer's order, after every loaded one) and gone,
        so that a store writes only those. None for a clusterer not loaded from a state (the whole
        `to_state()` is needed). A story counts as changed when any field differs from what was
        loaded; one whose id was dropped and started again is gone and added."""
        loaded = self._loaded
        if loaded is None:
            return None
        names = [f.name for f in fields(Story)]
        updated: list[dict[str, Any]] = []
        added: list[dict[str, Any]] = []
        # A story still undecoded is as loaded: unchanged.
        for sid, story in self.stories.decoded():
            before = loaded.get(sid)
            if before is None or before[0] is not story:
                added.append(story.to_dict())
            elif before[1] is not None and any(getattr(story, name) != before[1].get(name) for name in names):
                updated.append(story.to_dict())
        stories = self.stories
        gone = [
            sid
            for sid, (story, _) in loaded.items()
            if sid not in stories or (stories.is_decoded(sid) and stories[sid] is not story)
        ]
        state = self._scalar_state()
        counted = self._df_counted
        if counted is None:
            return StateChanges(state, updated, added, gone)
        # Only the frequencies counted since loading changed: written alone, not the whole table.
        del state["df"]
        df = self.df
        return StateChanges(state, updated, added, gone, {k: df[k] for k in counted})

    @classmethod
    def from_state(cls, state: dict[str, Any], settings: ClusterSettings | None = None) -> Clusterer:
        """Rebuild a clusterer from `to_state()` output (settings from the state unless given). It
        remembers the stories as loaded, for `state_changes()`."""
        clusterer = cls(settings or ClusterSettings(**state.get("settings", {})))
        clusterer.docs = int(state["docs"])
        clusterer.df = dict(state["df"])
        clusterer._df_counted = set()
        clusterer.clock = state.get("clock")
        clusterer.assignments = int(state.get("assignments", 0))
        loaded: dict[str, tuple[Story | None, dict[str, Any] | None]] = {}
        clusterer._loaded = loaded
        for data in state["stories"]:
            if isinstance(data, dict):
                story = clusterer._story_from(data)
                sid, indexed, dormant = story.id, story.indexed, story.dormant
                clusterer.stories[sid] = story
            else:
                # A dormant story as stored, decoded when asked for (`StoryTable`).
                sid, indexed, dormant = data.id, [sys.intern(k) for k in data.indexed], True
                clusterer.stories._items[sid] = data
                loaded[sid] = (None, None)
            if not dormant:
                clusterer._live.add(sid)
            for key in indexed:
                clusterer._all.setdefault(key, []).append(sid)
                if not dormant:
                    clusterer._active.setdefault(key, []).append(sid)
        clusterer.aliases = dict(state.get("aliases", {}))
        for sid in state.get("dormant", []):
            if sid in clusterer.stories:
                clusterer._dormant[sid] = None
        return clusterer

    def _story_from(self, data: dict[str, Any]) -> Story:
        """A story from its `to_dict()`, remembered as loaded (for `state_changes`)."""
        story = Story(**data)
        # `data` stays as loaded (for `state_changes`): the story gets containers of its own.
        story.members = list(story.members)
        story.moves = list(story.moves)
        story.steps = dict(story.steps)
        # Interned like the keys `_join` adds (`_index` relies on it).
        story.vector = {sys.intern(k): v for k, v in story.vector.items()}
        story.indexed = [sys.intern(k) for k in story.indexed]
        if self._loaded is not None:
            self._loaded[story.id] = (story, data)
        return story

    def _restore(self, stored: StoredStory) -> Story:
        """A dormant story left undecoded at loading, decoded now it is asked for."""
        return self._story_from(stored.story())
