"""One text toolkit: no module of storyline defines its own stop words, stemmer, month table, dateline
parser, case folding or union-find; they all live in `storyline/text.py`.

The checks read every module with `ast` and look for names and shapes: constants named like a stop
list or a month table, literal word lists that contain the commonest function words, string
constants that spell out month names, functions named like a stemmer, dateline parser or union-find,
and the `while parent[x] != x` loop of a union-find under any name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

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
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id if isinstance(t, ast.Name) else t.attr for t in targets if isinstance(t, ast.Name | ast.Attribute)]
            value = node.value
            if value is None:
                continue
            for name in names:
                if re.search(r"STOP", name, re.IGNORECASE):
                    found.append(f"{line}: stop-word set {name}")
                if re.search(r"DATELINE", name):
                    found.append(f"{line}: dateline pattern {name}")
                if re.search(r"MONTH", name) and isinstance(value, ast.Dict | ast.DictComp | ast.Set | ast.List | ast.Call):
                    found.append(f"{line}: month table {name}")
            words = _strings(value)
            words = [w for x in words for w in (constants[x].split() if x in constants else [x])]
            if FUNCTION_WORD_PROBE <= set(words):
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
            if "stem" in name and len(params) == 1:
                found.append(f"{line}: stemmer {node.name}")
            if name.strip("_") in ("find", "root", "find_root", "union") or "components" in name:
                found.append(f"{line}: union-find function {node.name}")
            if "dateline" in name and _uses_regex(node):
                found.append(f"{line}: dateline parser {node.name}")
            if name.strip("_") in ("fold", "fold_word", "casefold", "strip_accents"):
                found.append(f"{line}: folding function {node.name}")
        elif isinstance(node, ast.While) and _is_union_find_loop(node):
            found.append(f"{line}: union-find loop")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("endswith", "rstrip"):
            args = node.args[0] if node.args else None
            suffixes = _strings(args) if isinstance(args, ast.Tuple) else [args.value] if isinstance(args, ast.Constant) else []
            if any(s in STEM_SUFFIXES for s in suffixes if isinstance(s, str)):
                found.append(f"{line}: suffix stripping ({node.func.attr} {suffixes})")
    return found


def test_the_detector_finds_each_kind_in_the_toolkit() -> None:
    """The toolkit holds one of each: the checks below would see a copy of any of them."""
    kinds = " ".join(violations(TOOLKIT))
    for kind in ("stop-word set", "month table", "stemmer", "union-find", "dateline parser", "folding function"):
        assert kind in kinds


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_defines_text_helpers_of_its_own(path: Path) -> None:
    assert violations(path) == []
