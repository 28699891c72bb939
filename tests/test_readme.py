"""The README stays true: every command of its sample session runs and prints what the README shows,
its Python example runs, and every command and option its reference names exists."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
STORYLINE = Path(sys.executable).with_name("storyline")


def _blocks(language: str) -> list[str]:
    """The README's fenced blocks of `language` ("" for the blocks without one), in order."""
    found: list[str] = []
    current: list[str] | None = None
    fence = ""
    for line in README.splitlines():
        if current is None and line.startswith("```"):
            fence, current = line[3:].strip(), []
        elif current is not None and line.startswith("```"):
            if fence == language:
                found.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    return found


def _session() -> list[tuple[str, list[str]]]:
    """Each `$ command` of the console blocks with the output lines the README shows under it."""
    steps: list[tuple[str, list[str]]] = []
    for block in _blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:].split("  #")[0].strip(), []))
            elif steps:
                steps[-1][1].append(line)
    return steps


def _words(text: str) -> str:
    """Text without the box drawing and spacing that depend on the terminal."""
    return " ".join(re.sub(r"[│┃┏┓┗┛┡┩┝┥━─┳┻╇╋┣┫╭╮╰╯┆·]+", " ", text).split())


def _command(line: str, out: Path) -> list[str]:
    """The README's command as it runs here: `make` in the checkout with OUT in a temporary folder,
    the venv's `storyline` (the one running the tests), `out/` in that folder."""
    args = shlex.split(line.split(">")[0])
    if args[:2] == ["make", "run"]:
        return ["make", "-C", str(REPO), "run", f"OUT={out}", f"BIN={Path(sys.executable).parent}"]
    if args[0].endswith("storyline"):
        args[0] = str(STORYLINE)
    return [str(out / a[len("out/"):]) if a.startswith("out/") else a for a in args]


@pytest.mark.slow
def test_the_sample_session_prints_what_the_readme_shows(tmp_path: Path) -> None:
    if not STORYLINE.exists():
        pytest.skip(f"no storyline script beside {sys.executable} (run from the project's venv)")
    steps = _session()
    assert steps and steps[0][0].startswith("make run"), "the README's session starts with make run"
    env = {**os.environ, "COLUMNS": "120"}
    out = tmp_path / "out"
    for line, shown in steps:
        done = subprocess.run(_command(line, out), capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
        assert done.returncode == 0, f"{line}: exit {done.returncode}\n{done.stderr[-2000:]}"
        # Paths as the README writes them: relative to the checkout (make echoes its venv's absolute path).
        printed = _words(done.stdout.replace(str(out), "out").replace(f"{Path(sys.executable).parent}/", ".venv/bin/"))
        for expected in shown:
            if not expected.strip() or expected.strip() == "...":
                continue
            assert _words(expected) in printed, f"`{line}` no longer prints: {expected.strip()}"


@pytest.mark.slow
def test_the_python_example_runs(tmp_path: Path) -> None:
    (code,) = _blocks("python")
    code = code.replace('"examples/"', repr(str(REPO / "examples")))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.match(r"\d+ \[", done.stdout), done.stdout  # the independent sources and the first quotes


def test_every_command_and_option_the_reference_names_exists() -> None:
    reference = next(b for b in _blocks("") if b.lstrip().startswith("storyline "))
    runner = CliRunner()
    for line in reference.splitlines():
        if not line.startswith("storyline "):
            continue
        command = line.split()[1]
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0, f"`storyline {command}` is in the README but not in the tool"
        for option in re.findall(r"--[a-z][a-z-]*", line.split("#")[0]):
            assert option in result.output, f"`storyline {command} {option}` is in the README but not in the tool"


def test_every_development_command_exists() -> None:
    (block,) = [b for b in _blocks("sh") if "make quality" in b]
    for line in block.splitlines():
        args = shlex.split(line.split("#")[0])
        if not args:
            continue
        if args[0] == "make":
            targets = re.findall(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text(encoding="utf-8"), flags=re.M)
            assert args[1] in targets, f"make {args[1]} is in the README but not in the Makefile"
        else:
            script = REPO / args[1]
            assert script.is_file(), f"{args[1]} is in the README but not in the checkout"
