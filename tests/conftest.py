"""Shared fixtures: where the bundled example and the third-party data live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def examples() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"third-party data not found at {SHARED_DATA} (CI has ../shared beside the clone)")
    return SHARED_DATA


def seed_path(prefix: str) -> Path:
    """The bundled seed whose file name starts with `prefix` (e.g. "001")."""
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    return path
