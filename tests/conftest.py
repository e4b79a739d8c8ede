"""Shared fixtures: the seed reports from ../shared (skipped when absent) and a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS_DIR = SHARED / "corpus" / "seeds"


def _seed_paths() -> dict[str, Path]:
    if not SEEDS_DIR.is_dir():
        return {}
    return {p.name[:3]: p for p in sorted(SEEDS_DIR.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    """Seed number ("000".."004") -> path; skips the test when ../shared is absent."""
    paths = _seed_paths()
    if len(paths) < 5:
        pytest.skip("seed corpus ../shared/corpus/seeds not available")
    return paths


@pytest.fixture(scope="session")
def seed_texts(seed_paths) -> dict[str, str]:
    return {k: p.read_text(encoding="utf-8") for k, p in seed_paths.items()}


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared not available")
    return SHARED


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "rasd.db"
