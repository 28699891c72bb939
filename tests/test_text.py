"""The text toolkit (`storyline.text`), on sentences of the seed articles in `examples/`, and the rule
that goes with it: no module of storyline defines its own stop words, stemmer, month table, dateline
parser, case folding or union-find; they all live in `storyline/text.py`.

The structural checks read every module with `ast` and look for names and shapes: constants named
like a stop list, a month table or a dateline pattern, literal word lists holding the commonest
function words, string constants that spell out month names, functions named like a stemmer, a
dateline parser, a folding function or a union-find, the `while parent[x] != x` loop of a union-find
under any name, and an inflectional ending tested then cut off (`if w.endswith("s"): w = w[:-1]`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from storyline import text


@pytest.fixture(scope="module")
def seeds(examples: Path) -> dict[str, str]:
    """The seed articles' text by file name prefix (`000` ...)."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.txt"))}


def _line(seeds: dict[str, str], seed: str, start: str) -> str:
    return next(line.strip() for line in seeds[seed].splitlines() if line.strip().startswith(start))


def test_tokens_keep_abbreviations_possessives_and_figures(seeds: dict[str, str]) -> None:
    line = _line(seeds, "000", "Russia last month amassed 100,000 troops")
    found = text.tokens(line)
    assert "100,000" in found and "2014" in found and "Crimea" in found
    lead = _line(seeds, "001", "U.S. Secretary of State Antony Blinken on Thursday demanded")
    assert text.tokens(lead)[:2] == ["U.S.", "Secretary"]
    assert text.folded_tokens(lead)[:2] == ["us", "secretary"]
    # `Washington’s support` and `Ukraine's leadership`: one word each, possessive folded away.
    assert "Washington’s" in text.tokens(seeds["004"])
    assert text.fold_word("Washington’s") == "washington"
    assert text.fold_word("Ukraine's") == "ukraine"
    assert "100,000" not in text.letter_tokens(line) and "troops" in text.letter_tokens(line)
    assert text.words("don't") == ["don't"]


def test_fold_takes_case_and_accents_off() -> None:
    assert text.fold("KIEV") == "kiev"
    assert text.fold("condoléances sincères") == "condoleances sinceres"  # a French tribute in the dev corpus


def test_stems_let_two_wordings_of_one_fact_meet(seeds: dict[str, str]) -> None:
    headline = seeds["000"].splitlines()[0]  # `Blinken presses Russia to pull troops ...`
    lead = _line(seeds, "000", "KIEV - US Secretary")  # `... on Thursday pressed Russia to pull troops ...`
    assert {text.stem(w) for w in text.tokens(headline)} & {text.stem(w) for w in text.tokens(lead)} >= {
        "press", "troop", "pull", "russia",
    }  # fmt: skip
    assert text.stem("casualties") == "casualty"
    assert text.stem("Kyiv’s") == "kyiv"
    assert text.stem("3,500") == "3500"
    # Words ending in s that are no plural keep it.
    assert [text.stem(w) for w in ("crisis", "virus", "loss")] == ["crisis", "virus", "loss"]
    # Plurals only: verb forms stay apart.
    assert text.stem("troops", inflections=False) == "troop"
    assert text.stem("pressed", inflections=False) == "pressed"


def test_prefix_stems_meet_derivations_and_spellings(seeds: dict[str, str]) -> None:
    found = {w.casefold() for w in text.tokens(" ".join(seeds.values())) if w.casefold().startswith("withdr")}
    assert found == {"withdraw", "withdrawal", "withdrawn"}
    assert {text.prefix_stem(w) for w in found} == {"withdr"}
    # Two outlets' translations of one remark (dev2, the 2022 Champions League final) spell it apart.
    assert text.prefix_stem("organisation") == text.prefix_stem("organization")
    assert text.prefix_stem("troops") == "troop"


def test_stop_word_lists_nest_and_drop_what_they_should(seeds: dict[str, str]) -> None:
    assert text.COMMON_FUNCTION_WORDS < text.STOP_WORDS < text.SENTENCE_STOP_WORDS < text.EVENT_STOP_WORDS
    assert text.PROSE_STOP_WORDS <= text.SENTENCE_STOP_WORDS
    sentence = _line(seeds, "003", "During a visit to Kiev, Mr Blinken said Russia")
    content = [w for w in text.tokens(sentence) if text.fold_word(w) not in text.SENTENCE_STOP_WORDS]
    assert content[:5] == ["visit", "Kiev", "Blinken", "Russia", "left"]
    assert text.is_stop_word("It’s") and not text.is_stop_word("Kiev")
    # Weekdays and generic news words say nothing about which event an article reports.
    assert {"thursday", "people", "year"} <= text.EVENT_STOP_WORDS


def test_months(seeds: dict[str, str]) -> None:
    dated = re.compile(rf"\b({text.MONTH_NAME})\.?\s+(\d{{1,2}})\b", re.IGNORECASE)
    found = [(text.month_number(m.group(1)), int(m.group(2))) for m in dated.finditer(seeds["004"])]
    assert (5, 5) in found and (4, 30) in found  # `on May 5-6`, `on April 30`
    assert [text.month_number(m) for m in ("Sept.", "sep", "December", "05")] == [9, 9, 12, 5]
    assert re.fullmatch(text.FULL_MONTH_NAME, "May") and not re.fullmatch(text.FULL_MONTH_NAME, "Jan")


def test_datelines_of_the_seeds(seeds: dict[str, str]) -> None:
    kiev = text.dateline(_line(seeds, "000", "KIEV - US Secretary"))
    assert kiev is not None and kiev.place == "Kiev" and kiev.credit is None and kiev.end == len("KIEV - ")
    upi = text.dateline(_line(seeds, "002", "May 7 (UPI) --"))
    assert upi is not None and upi.month_day == (5, 7) and upi.credit == "UPI" and upi.place is None
    bullet = _line(seeds, "003", "date 2021-05-08 KIEV")[len("date 2021-05-08 ") :]
    assert text.strip_dateline(bullet)[0].startswith("United States Secretary of State")
    # A lead without a dateline is left alone, `U.S.` is no place.
    lead = _line(seeds, "001", "U.S. Secretary of State Antony Blinken on Thursday demanded")
    assert text.dateline(lead) is None and text.strip_dateline(lead) == (lead, 0)


def test_a_date_opening_the_text_is_a_dateline_date(seeds: dict[str, str]) -> None:
    upi = _line(seeds, "002", "May 7 (UPI) --")
    assert text.is_dateline_date(upi, 0, len("May 7"))
    visit = _line(seeds, "004", "Blinken will visit Kyiv on May 5-6")
    start = visit.index("May 5")
    assert not text.is_dateline_date(visit, start, start + len("May 5"))


def test_components_and_union_find() -> None:
    assert text.components([(1, 2), (3, 4), (2, 5)], items=range(7)) == [[0], [1, 2, 5], [3, 4], [6]]
    sets: text.UnionFind[str] = text.UnionFind(["dev-3", "dev-1", "dev-2"])
    assert sets.union("dev-2", "dev-1") and not sets.union("dev-1", "dev-2")
    assert sets.find("dev-2") == "dev-1"  # the earlier-added item names the set
    assert sets.groups() == [["dev-3"], ["dev-1", "dev-2"]]


# --- one toolkit: the structural rule -----------------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "storyline"
TOOLKIT = PACKAGE / "text.py"
FUNCTION_WORD_PROBE = {"the", "and", "of", "to", "in"}
MONTH_PROBE = re.compile(r"jan(?:uary)?\b.*feb", re.IGNORECASE | re.DOTALL)
STEM_SUFFIXES = {"s", "es", "ies", "ing", "ed"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != TOOLKIT)


def _strings(node: ast.AST) -> list[str]:
    """The string constants directly listed by a literal (set, list, tuple, `"...".split()`)."""
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set", "tuple", "list") and node.args:
            return _strings(node.args[0])
        if isinstance(node.func, ast.Attribute) and node.func.attr == "split":
            value = node.func.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value.split()
            if isinstance(value, ast.Name):
                return [value.id]  # resolved by the caller through module constants
    if isinstance(node, ast.Set | ast.List | ast.Tuple):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if isinstance(node, ast.Dict):
        return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return []


def _is_union_find_loop(node: ast.While) -> bool:
    """`while parent[x] != x:` (or `self.parent[i] != i`): following parents to a root."""
    test = node.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotEq)):
        return False
    left, right = test.left, test.comparators[0]
    return isinstance(left, ast.Subscript) and ast.dump(left.slice) == ast.dump(right)


def _is_table(value: ast.AST) -> bool:
    """A literal table (dict, set, list) or one built by `dict(...)`/`frozenset(...)`, not a regex."""
    if isinstance(value, ast.Dict | ast.DictComp | ast.Set | ast.List | ast.Tuple | ast.BinOp):
        return True
    func = value.func if isinstance(value, ast.Call) else None
    return isinstance(func, ast.Name) and func.id in ("dict", "frozenset", "set")


def _strips_suffix(node: ast.If | ast.IfExp) -> bool:
    """`if w.endswith("s"): w = w[:-1]`: an inflectional ending tested, then cut off."""
    calls = [sub for sub in ast.walk(node.test) if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)]
    tests = [c.args[0] for c in calls if isinstance(c.func, ast.Attribute) and c.func.attr == "endswith" and c.args]
    suffixes = {s for t in tests for s in [*_strings(t), getattr(t, "value", None)] if isinstance(s, str)}
    if not suffixes & STEM_SUFFIXES:
        return False
    body = node.body if isinstance(node.body, list) else [node.body]
    for sub in (s for b in body for s in ast.walk(b)):
        if isinstance(sub, ast.Slice) and sub.upper is not None:
            upper = sub.upper
            if isinstance(upper, ast.UnaryOp) and isinstance(upper.op, ast.USub):
                return True
    return False


def _strips_plural(node: ast.AST) -> bool:
    """`word.rstrip("s")`: a crude plural fold."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "rstrip"):
        return False
    return bool(node.args) and isinstance(node.args[0], ast.Constant) and node.args[0].value == "s"


def _uses_regex(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr in ("match", "search", "fullmatch", "finditer", "findall"):
            return True
    return False


def violations(path: Path) -> list[str]:
    """What in one module belongs in the text toolkit, as `line: what` strings."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    found: list[str] = []
    constants: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value.value

    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            names += [t.attr for t in targets if isinstance(t, ast.Attribute)]
            value = node.value
            for name in (n for n in names if n.isupper()):  # constants; `stops` counters are no lists
                if "STOP" in name:
                    found.append(f"{line}: stop-word set {name}")
                if "DATELINE" in name and not isinstance(value, ast.Constant | ast.UnaryOp):
                    found.append(f"{line}: dateline pattern {name}")
                if "MONTH" in name and _is_table(value):
                    found.append(f"{line}: month table {name}")
            words = _strings(value)
            words = [w for x in words for w in (constants[x].split() if x in constants else [x])]
            if set(words) >= FUNCTION_WORD_PROBE:
                found.append(f"{line}: a list of function words")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and MONTH_PROBE.search(node.value):
            found.append(f"{line}: month names spelt out")
        elif isinstance(node, ast.Attribute) and node.attr in ("month_name", "month_abbr", "ENGLISH_STOP_WORDS"):
            found.append(f"{line}: {node.attr}")
        elif isinstance(node, ast.alias) and node.name == "ENGLISH_STOP_WORDS":
            found.append(f"{line}: imports ENGLISH_STOP_WORDS")
        elif isinstance(node, ast.ClassDef) and re.search(r"union.?find|disjoint", node.name, re.IGNORECASE):
            found.append(f"{line}: union-find class {node.name}")
        elif isinstance(node, ast.FunctionDef):
            name = node.name.lower()
            params = node.args.posonlyargs + node.args.args
            first = params[0].annotation if params else None
            if "stem" in name and isinstance(first, ast.Name) and first.id == "str":
                found.append(f"{line}: stemmer {node.name}")
            if name.strip("_") in ("find", "root", "find_root", "union") or "components" in name:
                found.append(f"{line}: union-find function {node.name}")
            if "dateline" in name and _uses_regex(node):
                found.append(f"{line}: dateline parser {node.name}")
            if name.strip("_") in ("fold", "fold_word", "casefold", "strip_accents"):
                found.append(f"{line}: folding function {node.name}")
        elif isinstance(node, ast.While) and _is_union_find_loop(node):
            found.append(f"{line}: union-find loop")
        elif isinstance(node, ast.If | ast.IfExp) and _strips_suffix(node):
            found.append(f"{line}: suffix stripping")
        elif _strips_plural(node):
            found.append(f"{line}: plural stripping (rstrip)")
    return found


def test_the_detector_finds_each_kind_in_the_toolkit() -> None:
    """The toolkit holds one of each: the checks below would see a copy of any of them."""
    kinds = " ".join(violations(TOOLKIT))
    for kind in ("stop-word set", "month table", "stemmer", "union-find", "dateline parser", "folding function"):
        assert kind in kinds


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_defines_text_helpers_of_its_own(path: Path) -> None:
    assert violations(path) == []
