from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SEEDS = ROOT / "fixtures" / "seeds"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


def seed_names(directory: Path) -> list[str]:
    return sorted(p.stem for p in (directory / "input").glob("*.txt"))


def body_lines(text: str) -> list[str]:
    """Lines as the seeds' README compares them: stripped, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def shared_seeds() -> Path:
    if not (SHARED_SEEDS / "input").is_dir():
        pytest.skip("../shared/seeds is not beside this checkout; fixtures/seeds covers it")
    return SHARED_SEEDS
