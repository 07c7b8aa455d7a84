from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SEEDS = ROOT / "fixtures" / "seeds"
GAZETTE = sorted((ROOT / "fixtures" / "profiles" / "harbour-gazette").glob("page*.txt"))
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


def gazette_profiles(path: Path) -> str:
    """A profiles file of the made-up gazette's first five pages; returns its sixth page."""
    from stripper.profiles import SiteProfiles, page_lines

    profiles = SiteProfiles(path, create=True)
    for page in GAZETTE[:5]:
        profiles.learn("harbour-gazette.co.uk", page_lines(page.read_text("utf-8")))
    profiles.close()
    return GAZETTE[5].read_text("utf-8")


def with_model(stripper, model):
    """The stripper with a stand-in for its learned model: anything with
    `scores(texts, stop_words)`."""
    from stripper.stages import LearnedModel

    for stage in stripper.context_stages:
        if isinstance(stage, LearnedModel):
            stage.model = model
    return stripper
