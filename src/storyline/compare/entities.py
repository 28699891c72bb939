"""Entities across outlets: one record per real-world thing, with every spelling seen as an alias.

Each article's annotator already links its own mentions (`Blinken` -> `Antony Blinken`). Here the
per-article entities of a story are merged:

1. identical names (case, dots, a leading "the" and hyphens aside: `NATO` / `Nato`, `U.S.` / `US`),
   whatever spaCy labelled them (it calls `Zelenskiy` an ORG and `Crimea` an ORG now and then);
2. people by name parts: surnames that are the same word in another transliteration (string ratio
   or the same consonant skeleton: `Zelensky` / `Zelenskiy` / `Zelenskyy`) and compatible first names;
   a bare surname joins a full name only when exactly one person of the story carries it, so two
   people sharing a surname (`Joe Biden`, `Hunter Biden`) are never merged;
3. other names of the same kind by string and phonetic similarity (`Donbas` / `Donbass`), acronyms
   against the initials of a longer name (`US` / `United States`, `EU` / `European Union`);
4. a small table of well-known variants that no similarity measure catches (exonyms such as
   `Kiev` / `Kyiv`, `Group of Seven` / `G7`).

The type of a merged entity is the label most articles give it (`majority_label`); a one-word "person" that the text
uses as a place (`in Kiev`, `from Kyiv`, `Donetsk and Luhansk`) becomes a place.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from storyline.annotate.records import Annotations, Mention
from storyline.article import Article
from storyline.compare.evidence import Evidence, sort_evidence
from storyline.compare.records import EntityRecord
from storyline.text import UnionFind, fold

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

# Well-known variant spellings that string similarity cannot see: exonyms and renamings (the
# preferred, current form first) and names with a conventional short form. Keys are compared
# normalised (see `_key`); the type applies when the merged entity has none better.
KNOWN_VARIANTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Kyiv", ("Kiev",), "GPE"),
    ("Kharkiv", ("Kharkov",), "GPE"),
    ("Odesa", ("Odessa",), "GPE"),
    ("Lviv", ("Lvov",), "GPE"),
    ("Luhansk", ("Lugansk",), "GPE"),
    ("Mykolaiv", ("Nikolaev", "Nikolayev"), "GPE"),
    ("Zaporizhzhia", ("Zaporozhye",), "GPE"),
    ("Chernihiv", ("Chernigov",), "GPE"),
    ("Belarus", ("Byelorussia", "Belorussia"), "GPE"),
    ("Moldova", ("Moldavia",), "GPE"),
    ("Beijing", ("Peking",), "GPE"),
    ("Mumbai", ("Bombay",), "GPE"),
    ("Kolkata", ("Calcutta",), "GPE"),
    ("Chennai", ("Madras",), "GPE"),
    ("Myanmar", ("Burma",), "GPE"),
    ("Yangon", ("Rangoon",), "GPE"),
    ("Türkiye", ("Turkey",), "GPE"),
    ("Czechia", ("Czech Republic",), "GPE"),
    ("Eswatini", ("Swaziland",), "GPE"),
    ("Côte d'Ivoire", ("Ivory Coast",), "GPE"),
    ("North Macedonia", ("Macedonia",), "GPE"),
    ("United Kingdom", ("UK", "U.K.", "Britain", "Great Britain"), "GPE"),
    ("United States", ("US", "U.S.", "USA", "U.S.A."), "GPE"),
    ("Group of Seven", ("G7", "G-7"), "ORG"),
    ("Group of Twenty", ("G20", "G-20", "Group of 20"), "ORG"),
    ("Group of Eight", ("G8", "G-8"), "ORG"),
)

# Words in a name that are not initials of an acronym (`Group of Seven`, `Bank of England`).
_MINOR_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "le", "&"})
# Prepositions that put a name in a place role (`in Kiev`, `from Kyiv`).
_PLACE_PREPOSITIONS = frozenset(
    {"in", "from", "near", "outside", "at", "into", "across", "throughout", "toward", "towards", "around"}
)
_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv"})
_COORDINATED_LEFT = re.compile(r",?\s+(?:and|or)\s+$")
_COORDINATED_RIGHT = re.compile(r"^,?\s+(?:and|or)\s+")
_STRONG_PLACE_PREPOSITIONS = frozenset({"in", "near", "outside", "throughout", "across"})
_TITLE_BEFORE = re.compile(r"\b(?:Secretary|Minister|Ministry|Department) of\s*$")
_TITLE_AFTER = re.compile(r"^\s*(?:Secretary|Minister|Spokesman|Spokeswoman|Spokesperson)\b")
_WORD_BEFORE = re.compile(r"(\w+)\W*$")
_SPLIT_MENTION = re.compile(r"\s+[-–—]+\s+")
_BRACKETS = re.compile(r"[\[\]{}]")
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$")
_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
# Letters transliterations swap (`Zelenskyy` / `Zelenskij`, `Zaporozhye` / `Zaporizhzhia`).
_TRANSLIT = str.maketrans("zyj", "sii")


def _key(name: str) -> str:
    """The form under which two spellings are the same name: `U.S.` = `US`, `the Kremlin` = `Kremlin`."""
    folded = fold(name).replace("’", "'")
    if folded.endswith("'s"):
        folded = folded[:-2]
    folded = folded.replace(".", "").replace("-", " ").replace("'", "")
    folded = _SPACES.sub(" ", _NON_WORD.sub(" ", folded)).strip()
    if folded.startswith("the "):
        folded = folded[4:]
    return folded


def skeleton(word: str) -> str:
    """A consonant skeleton that transliterations of one name share (`Zelensky`, `Zelenskiy`,
    `Zelenskyy` -> `slnsk`; `Kiev`, `Kyiv` -> `kv`): first letter kept, vowels dropped, letters
    that transliterations swap (y/i/j, w/v, c/k, z/s) folded, doubles collapsed."""
    w = re.sub(r"[^a-z]", "", fold(word))
    if not w:
        return ""
    for a, b in (("ph", "f"), ("ck", "k"), ("kh", "h"), ("q", "k"), ("x", "ks"), ("w", "v"), ("c", "k")):
        w = w.replace(a, b)
    w = w.translate(_TRANSLIT)
    out = [w[0]]
    for ch in w[1:]:
        if ch in "aeiou" or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)


def _same_word(a: str, b: str) -> bool:
    """Two spellings of one name part (`Zelensky` / `Zelenskiy`, `Volodymyr` / `Volodimir`)."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    if min(len(fa), len(fb)) < 4:
        return False
    # One letter off (`Fukushima` / `Fuskushima`, `Donbas` / `Donbass`); `Austria` / `Australia` are not.
    if abs(len(fa) - len(fb)) <= 1 and fuzz.ratio(fa, fb) >= 85:
        return True
    sa, sb = skeleton(fa), skeleton(fb)
    return len(sa) >= 3 and sa == sb and abs(len(fa) - len(fb)) <= 1


def _first_names_agree(a: str, b: str) -> bool:
    """First names of one person: the same word, or an initial of it (`J.` / `Joe`)."""
    ca, cb = a.rstrip("."), b.rstrip(".")
    if len(ca) == 1 or len(cb) == 1:
        return fold(ca)[0] == fold(cb)[0]
    # Stricter than surnames: `Daniel` and `Danielle` are two people; `Volodymyr` / `Volodimir`,
    # `Aleksandr` / `Alexander` one.
    fa, fb = fold(ca), fold(cb)
    if fa == fb or (skeleton(fa) == skeleton(fb) and abs(len(fa) - len(fb)) <= 1):
        return True
    # A short form of the given name (`Tony` / `Antony`, `Alex` / `Alexander`, `Chris` / `Christopher`):
    # a name of at most four letters that begins or ends the other, two or more letters shorter, or of
    # five letters that begins one three or more letters longer (`Daniel` / `Danielle`, `Maria` /
    # `Mariana` differ).
    short, long_ = sorted((fa.casefold(), fb.casefold()), key=len)
    gap = len(long_) - len(short)
    if len(short) == 5:
        return gap >= 3 and long_.startswith(short)
    return 3 <= len(short) <= 4 and gap >= 2 and (long_.startswith(short) or long_.endswith(short))


@dataclass
class _Name:
    """One distinct name (normalised key) with everything the story says about it."""

    key: str
    forms: Counter[str] = field(default_factory=Counter)  # canonical spellings, by article count
    spellings: Counter[str] = field(default_factory=Counter)  # every mention spelling, by use
    labels: Counter[str] = field(default_factory=Counter)  # label votes, one per mention
    article_labels: dict[str, Counter[str]] = field(default_factory=dict)  # the same, per article
    articles: dict[str, None] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    place_uses: float = 0.0  # mentions in a place role
    strong_place_uses: int = 0  # mentions after `in`, `near`, ... or coordinated with a place
    mentions: int = 0

    @property
    def label(self) -> str:
        return majority_label([self])

    @property
    def tokens(self) -> list[str]:
        return self.key.split()

    @property
    def display(self) -> str:
        return self.forms.most_common(1)[0][0]


@dataclass
class EntityIndex:
    """The story's entities and the way back from an article's own entity names to them."""

    records: list[EntityRecord]
    by_name: dict[tuple[str, str], int]  # (article id, annotator canonical) -> record index
    by_key: dict[str, int]  # normalised name -> record index

    def name_of(self, article: str, canonical: str | None) -> str | None:
        """The story-wide name for an article's entity name (`Volodymyr Zelenskiy` -> `... Zelensky`)."""
        if not canonical:
            return None
        i = self.by_name.get((article, canonical))
        if i is None:
            i = self.by_key.get(_key(_BRACKETS.sub("", canonical)))
        return self.records[i].name if i is not None else canonical

    def record(self, name: str) -> EntityRecord | None:
        """The entity record for any spelling of a name seen in the story."""
        i = self.by_key.get(_key(name))
        return self.records[i] if i is not None else None


def _split_mention(m: Mention) -> list[Mention]:
    """Split a mention glued over a dash (a dateline `KIEV - US`) into its parts, spans kept exact."""
    parts: list[Mention] = []
    pos = 0
    for sep in [*_SPLIT_MENTION.finditer(m.text), None]:
        end = sep.start() if sep else len(m.text)
        piece = m.text[pos:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            parts.append(Mention(piece, m.start + pos + lead, m.start + pos + lead + len(piece), m.sentence))
        if sep:
            pos = sep.end()
    return parts


def _is_title_word(text: str, m: Mention) -> bool:
    """`State` in `Secretary of State`, `Press` in `Press Secretary`: part of a job title, not a name."""
    if " " in m.text:
        return False
    return bool(
        _TITLE_BEFORE.search(text[max(0, m.start - 30) : m.start]) or _TITLE_AFTER.match(text[m.end : m.end + 20])
    )


def _place_role(text: str, m: Mention, place_starts: set[int], place_ends: set[int]) -> float:
    """How strongly the words around a mention use it as a place (0, 0.5, 0.9 or 1)."""
    before = _WORD_BEFORE.search(text[max(0, m.start - 25) : m.start])
    word = before.group(1).casefold() if before else ""
    if word in _PLACE_PREPOSITIONS:
        # `from Boeing`, `at NATO` are said of organisations too; `in Wajima` hardly.
        return 1.0 if word in _STRONG_PLACE_PREPOSITIONS else 0.9
    if word == "to" and not re.search(r"according\s+to\W*$", text[max(0, m.start - 25) : m.start], re.I):
        return 0.5
    # `Donetsk and Luhansk`: coordinated with a place.
    left = _COORDINATED_LEFT.search(text[max(0, m.start - 8) : m.start])
    if left and m.start - len(left.group(0)) in place_ends:
        return 1.0
    right = _COORDINATED_RIGHT.match(text[m.end : m.end + 8])
    if right and m.end + len(right.group(0)) in place_starts:
        return 1.0
    return 0.0


#: Names longer than this (words) are a parse running on, not a name.
MAX_NAME_WORDS = 10
_WORD = re.compile(r"[^\W\d_]+")
# A capitalised word inside a sentence (after a lower-case word or a comma): used as a name there.
_MID_CAPITALISED = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+\b")


@dataclass
class _Vocabulary:
    """How the story writes its words: lower-case uses, and capitalised uses inside a sentence."""

    lower: Counter[str]
    capitalised: Counter[str]

    @classmethod
    def of(cls, texts: Sequence[str]) -> _Vocabulary:
        lower: Counter[str] = Counter()
        capitalised: Counter[str] = Counter()
        for text in texts:
            lower.update(w for w in _WORD.findall(text) if w.islower())
            capitalised.update(_MID_CAPITALISED.findall(text))
        return cls(lower, capitalised)


def junk_span(text: str, vocabulary: _Vocabulary | None = None) -> bool:
    """Whether an entity span is no name: lower case only (`east coast`, `of`), mostly digits or
    punctuation, longer than `MAX_NAME_WORDS` words, or one common word the story writes in lower
    case at least as often as it capitalises it inside a sentence (`Lava` opening a sentence)."""
    visible = text.replace(" ", "")
    if not any(c.isupper() for c in text):
        return True
    if 3 * sum(c.isalpha() for c in visible) < len(visible):
        return True
    words = text.split()
    if len(words) > MAX_NAME_WORDS:
        return True
    if vocabulary is not None and len(words) == 1 and text.isalpha() and not text.isupper():
        used_lower = vocabulary.lower[text.lower()]
        return used_lower > 0 and used_lower >= vocabulary.capitalised[text]
    return False


def _crosses_sentence(m: Mention, starts: Sequence[int]) -> bool:
    """A span that runs over a sentence boundary (a line break, or a sentence starting inside it)."""
    return "\n" in m.text or any(m.start < s < m.end for s in starts)


def _collect(
    articles: Sequence[Article], annotations: Mapping[str, Annotations]
) -> tuple[list[_Name], dict[tuple[str, str], str]]:
    """Distinct names of the story, and each article's entity name -> name key."""
    names: dict[str, _Name] = {}
    owner: dict[tuple[str, str], str] = {}
    spelling_labels: dict[str, dict[str, Counter[str]]] = defaultdict(dict)
    vocabulary = _Vocabulary.of([a.text for a in articles if a.id in annotations])
    for article in articles:
        ann = annotations.get(article.id)
        if ann is None:
            continue
        text = article.text
        place_starts = {m.start for e in ann.entities if e.label in PLACE_LABELS for m in e.mentions}
        place_ends = {m.end for e in ann.entities if e.label in PLACE_LABELS for m in e.mentions}
        starts = [s.start for s in ann.sentences]
        for entity in ann.entities:
            canonical = _SPACES.sub(" ", _BRACKETS.sub("", entity.canonical)).strip()
            if junk_span(canonical, vocabulary):
                continue
            for m in entity.mentions:
                if not (0 <= m.start < m.end <= len(text)) or _is_title_word(text, m):
                    continue
                if _crosses_sentence(m, starts) or junk_span(m.text, vocabulary):
                    continue
                parts = _split_mention(m)
                for part in parts:
                    # A glued mention's parts are names of their own (`KIEV`, `US`).
                    form = canonical if len(parts) == 1 else part.text
                    key = _key(form)
                    if not key or not any(c.isalpha() for c in key):
                        continue
                    name = names.setdefault(key, _Name(key))
                    if article.id not in name.articles:
                        name.forms[form] += 1
                    name.articles[article.id] = None
                    name.spellings[_SPACES.sub(" ", _BRACKETS.sub("", part.text)).strip()] += 1
                    name.spellings[form] += 0
                    name.labels[entity.label] += 1
                    name.article_labels.setdefault(article.id, Counter())[entity.label] += 1
                    spelled = _key(part.text)
                    if spelled != key:
                        spelling_labels[spelled].setdefault(article.id, Counter())[entity.label] += 1
                    name.mentions += 1
                    role = _place_role(text, part, place_starts, place_ends)
                    name.place_uses += role
                    name.strong_place_uses += role == 1.0
                    name.evidence.append(Evidence(article.id, part.start, part.end))
                    if len(parts) == 1:
                        owner[(article.id, entity.canonical)] = key
    # Types by majority across the story: an article's mentions of a spelling vote for the name of that
    # spelling too (`Nolan`, the film's in one article, is the director's mention in six others).
    for key, per_article in spelling_labels.items():
        spelled_name = names.get(key)
        if spelled_name is None:
            continue
        for article_id, labels in per_article.items():
            spelled_name.article_labels.setdefault(article_id, Counter()).update(labels)
    return list(names.values()), owner


def majority_label(members: Sequence[_Name]) -> str:
    """The type most articles give a name (each article votes once, with the label most of its
    mentions carry): one article that calls a player an ORG ten times does not outvote three that
    call him a PERSON. Ties go to the label most mentions carry, then to the name."""
    per_article: dict[str, Counter[str]] = defaultdict(Counter)
    mentions: Counter[str] = Counter()
    for n in members:
        mentions.update(n.labels)
        for article, labels in n.article_labels.items():
            per_article[article].update(labels)
    if not mentions:
        return "MISC"
    votes: Counter[str] = Counter()
    for labels in per_article.values():
        top = max(labels.values())
        # An article split evenly between labels casts its vote by the story's mention counts.
        votes[max((lb for lb, c in labels.items() if c == top), key=lambda lb: (mentions[lb], lb))] += 1
    return max(set(mentions) | set(votes), key=lambda lb: (votes[lb], mentions[lb], lb))


def _is_person(name: _Name) -> bool:
    return name.label == "PERSON"


def _person_parts(tokens: list[str]) -> tuple[list[str], str | None]:
    """A person's name parts without a generational suffix, and the suffix (`jr`, `iii`)."""
    if len(tokens) > 2 and tokens[-1] in _GENERATIONAL:
        return tokens[:-1], tokens[-1]
    return tokens, None


def _merge_people(names: list[_Name], uf: UnionFind[int]) -> None:
    """Full names that are one person; bare surnames onto the one full name that carries them."""
    full = [i for i, n in enumerate(names) if _is_person(n) and len(_person_parts(n.tokens)[0]) >= 2]
    for x, i in enumerate(full):
        ti, suffix_i = _person_parts(names[i].tokens)
        for j in full[x + 1 :]:
            tj, suffix_j = _person_parts(names[j].tokens)
            if not _same_word(ti[-1], tj[-1]):
                continue
            if not _first_names_agree(ti[0], tj[0]) and not _middle_name_dropped(ti, tj):
                continue
            # `George W. Bush` / `George H. W. Bush`, `... Jr.` / `... III`: relatives, not one person.
            middle_i, middle_j = {t[0] for t in ti[1:-1]}, {t[0] for t in tj[1:-1]}
            if (middle_i and middle_j and middle_i != middle_j) or (suffix_i and suffix_j and suffix_i != suffix_j):
                continue
            uf.union(i, j)
    # Which person clusters carry each surname; a surname shared by two clusters stays ambiguous.
    for i, name in enumerate(names):
        if len(name.tokens) != 1 or name.label in PLACE_LABELS or name.label == "NORP":
            continue
        if not _is_person(name) and name.label != "ORG":
            continue
        clusters = {uf.find(j) for j in full if _same_word(_person_parts(names[j].tokens)[0][-1], name.tokens[0])}
        if len(clusters) == 1:
            uf.union(i, clusters.pop())


def _middle_name_dropped(a: list[str], b: list[str]) -> bool:
    """`Recep Tayyip Erdogan` / `Tayyip Erdogan`: the shorter name is the longer one without its first
    given name (its own first name is the longer one's middle name)."""
    short, long_ = sorted((a, b), key=len)
    return len(long_) > len(short) >= 2 and any(_first_names_agree(short[0], m) for m in long_[1:-1])


def _short_form_of(short: list[str], long_: list[str]) -> bool:
    """`Fed` / `Federal Reserve`, `US Fed` / `US Federal Reserve`: each word of the short name begins
    the longer name's word at its place (at least one cut short, by three letters or more), and the
    longer name has more words."""
    if len(long_) <= len(short):
        return False
    cut = False
    for a, b in zip(short, long_, strict=False):
        if a == b:
            continue
        if len(a) < 3 or not b.startswith(a):
            return False
        cut = True
    return cut


def _family(label: str) -> str:
    return "PLACE" if label in PLACE_LABELS else label


def _initials(tokens: list[str]) -> str:
    return "".join(t[0] for t in tokens if t not in _MINOR_WORDS)


def _merge_others(names: list[_Name], uf: UnionFind[int]) -> None:
    """Non-person names: near-identical spellings of one kind, acronyms, the variants table."""
    others = [i for i, n in enumerate(names) if not _is_person(n) or len(n.tokens) == 1]
    by_family: dict[str, list[int]] = defaultdict(list)
    for i in others:
        by_family[_family(names[i].label)].append(i)
    for members in by_family.values():
        for x, i in enumerate(members):
            ki = names[i].key
            for j in members[x + 1 :]:
                kj = names[j].key
                if (
                    len(ki.split()) == len(kj.split())
                    and all(_same_word(a, b) for a, b in zip(ki.split(), kj.split(), strict=True))
                    and min(len(ki), len(kj)) >= 5
                ):
                    uf.union(i, j)
    # Short names: `Eagles` for `Philadelphia Eagles`, `Meteorological Agency` for `Japan Meteorological
    # Agency`, when exactly one longer name ends so. Not for places (`Sudan`, `South Sudan`) or people.
    longer: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, n in enumerate(names):
        if len(n.tokens) >= 2 and not _is_person(n) and n.label not in PLACE_LABELS and n.label != "NORP":
            for cut in range(1, len(n.tokens)):
                # `Authority of Japan` is no Japan: the name's head is before the `of`.
                if n.tokens[cut - 1] not in _MINOR_WORDS:
                    longer[tuple(n.tokens[cut:])].add(i)
    for i, n in enumerate(names):
        if _is_person(n) or n.label == "NORP" or n.label in PLACE_LABELS or len(n.key) < 4:
            continue
        targets = {uf.find(j) for j in longer.get(tuple(n.tokens), set())}
        if len(targets) == 1:
            uf.union(i, targets.pop())
    # Short forms: `Fed` for `Federal Reserve`, when exactly one longer name of the kind begins so.
    for i, n in enumerate(names):
        if _is_person(n) or n.label in PLACE_LABELS or n.label == "NORP":
            continue
        targets = {
            uf.find(j)
            for j in by_family.get(_family(n.label), [])
            if j != i and not _is_person(names[j]) and _short_form_of(n.tokens, names[j].tokens)
        }
        if len(targets) == 1:
            uf.union(i, targets.pop())
    # Acronyms: `US` against `United States`, when exactly one longer name has those initials.
    long_by_initials: dict[str, set[int]] = defaultdict(set)
    for i, n in enumerate(names):
        if len(n.tokens) >= 2 and not _is_person(n):
            long_by_initials[_initials(n.tokens)].add(i)
    for i, n in enumerate(names):
        if len(n.tokens) == 1 and any(_ACRONYM.match(s) for s in n.spellings):
            targets = {uf.find(j) for j in long_by_initials.get(n.key, set())}
            if len(targets) == 1:
                uf.union(i, targets.pop())
    # The table: every listed spelling present joins the preferred one's cluster.
    index = {n.key: i for i, n in enumerate(names)}
    for preferred, variants, _label in KNOWN_VARIANTS:
        present = [index[k] for k in (_key(preferred), *map(_key, variants)) if k in index]
        for j in present[1:]:
            uf.union(present[0], j)


def _preferred_name(members: list[_Name]) -> tuple[str | None, str | None]:
    """The table's preferred spelling and type for a cluster, if the table knows one of its names."""
    keys = {n.key for n in members}
    for preferred, variants, label in KNOWN_VARIANTS:
        if keys & {_key(preferred), *map(_key, variants)}:
            return preferred, label
    return None, None


def _resolve_type(members: list[_Name], table_label: str | None) -> str:
    label = majority_label(members)
    mentions = sum(n.mentions for n in members)
    if label == "PERSON" and all(len(n.tokens) == 1 for n in members):
        place_uses = sum(n.place_uses for n in members)
        if table_label in PLACE_LABELS or place_uses >= max(1.0, 0.25 * mentions):
            return table_label or "GPE"
    if label == "ORG" and all(len(n.tokens) == 1 for n in members):
        # spaCy calls unfamiliar towns organisations (`Wajima`, `Miyagi`): `in Wajima` says otherwise.
        strong = sum(n.strong_place_uses for n in members)
        if strong >= max(1, 0.5 * mentions):
            return "GPE"
    if table_label and label not in ("PERSON",) and _family(label) != _family(table_label):
        return table_label
    return label


def _canonical(members: list[_Name], label: str, preferred: str | None) -> str:
    if preferred:
        return preferred
    forms: Counter[str] = Counter()
    for n in members:
        forms.update(n.forms)
    candidates = list(forms)
    if label == "PERSON":
        longest = max(len(c.split()) for c in candidates)
        candidates = [c for c in candidates if len(c.split()) == longest]
    return max(candidates, key=lambda c: (forms[c], len(c), c))


def link_entities(articles: Sequence[Article], annotations: Mapping[str, Annotations]) -> EntityIndex:
    """Merge the articles' entities into story-wide records, most widely reported first."""
    order = {a.id: i for i, a in enumerate(articles)}
    names, owner = _collect(articles, annotations)
    uf: UnionFind[int] = UnionFind(range(len(names)))
    _merge_people(names, uf)
    _merge_others(names, uf)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(names)):
        clusters[uf.find(i)].append(i)
    built: list[tuple[EntityRecord, list[int]]] = []
    for member_ids in clusters.values():
        members = [names[i] for i in member_ids]
        preferred, table_label = _preferred_name(members)
        label = _resolve_type(members, table_label)
        spellings: Counter[str] = Counter()
        for n in members:
            spellings.update(n.spellings)
        evidence = sort_evidence((e for n in members for e in n.evidence), order)
        art_ids = sorted({a for n in members for a in n.articles}, key=lambda a: order.get(a, len(order)))
        record = EntityRecord(
            name=_canonical(members, label, preferred),
            type=label,
            aliases=sorted(spellings, key=lambda s: (-spellings[s], s)),
            articles=art_ids,
            mentions=len(evidence),
            evidence=evidence,
        )
        built.append((record, member_ids))
    built.sort(key=lambda rm: (-len(rm[0].articles), -rm[0].mentions, rm[0].name))
    records = [r for r, _ in built]
    key_index: dict[str, int] = {}
    for pos, (_record, member_ids) in enumerate(built):
        for i in member_ids:
            key_index[names[i].key] = pos
    by_name = {pair: key_index[key] for pair, key in owner.items() if key in key_index}
    return EntityIndex(records=records, by_name=by_name, by_key=key_index)
