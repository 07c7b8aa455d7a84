"""The quality gate: the benchmark against bench/floors.toml fails when quality drops."""

import gzip
import json
import tomllib

import pytest

from bench import gate, quality
from conftest import ROOT

CORPORA = ROOT.parent / "shared" / "corpora"
FLOORS = ROOT / "bench" / "floors.toml"


def test_stripper_stays_above_every_floor_on_the_shared_corpora(capsys):
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not beside this checkout: the gate needs its pages")
    pytest.importorskip("html_text", reason="text mode renders pages with html-text ([train])")
    corpora = ",".join(tomllib.loads(FLOORS.read_text(encoding="utf-8")))
    argv = ["--corpora", str(CORPORA), "--corpus", corpora, "--modes", "text,clean"]
    argv += ["--systems", "stripper", "--workers", "2", "--gate", str(FLOORS)]
    code = quality.main(argv)
    report = capsys.readouterr().out
    assert code == 0, report[report.index("Quality gate") :]


ARTICLE = (
    "The harbour master closed the port to small boats on Thursday as a strong storm "
    "approached the coast.\n\nResidents were asked to tie down garden furniture and to "
    "stay away from the sea wall until the weekend."
)


@pytest.fixture
def corpora(tmp_path):
    """A corpus of two clean articles: clean mode needs no renderer."""
    records = [{"id": f"page{i}", "html": "<p>x</p>", "gold": ARTICLE} for i in range(2)]
    with gzip.open(tmp_path / "tiny.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(record) + "\n" for record in records)
    return tmp_path


@pytest.mark.parametrize(("floor", "code"), [(0.99, 0), (1.01, 1)])
def test_the_benchmark_exits_1_when_a_floor_is_missed(corpora, tmp_path, capsys, floor, code):
    floors = tmp_path / "floors.toml"
    floors.write_text(f"[tiny.clean]\nmin_recall = {floor}\n", encoding="utf-8")
    argv = ["--corpora", str(corpora), "--modes", "clean", "--systems", "stripper"]
    assert quality.main([*argv, "--gate", str(floors)]) == code
    report = capsys.readouterr().out
    assert f"{code} bound(s) missed" in report  # one bound, missed or not
    if code:
        assert "tiny clean recall 1.0000 is below its floor 1.01" in report


def results(**leak):
    """results_json output with one quality row and one snippet row of stripper's."""
    row = {"corpus": "c", "mode": "text", "system": "stripper"}
    row |= {"f1": 0.9, "precision": 0.85, "recall": 0.95, "leak": leak}
    peer = row | {"system": "justext", "f1": 0.1}
    snippets = {"corpus": "s", "lang": "de", "system": "stripper", "kept": 9, "n_keep": 10}
    snippets |= {"dropped": 4, "n_drop": 5}
    return {"quality": [row, peer], "snippets": [snippets]}


def test_failures_name_each_missed_bound_and_nothing_else():
    leak = {"related": {"docs": 3, "hit": 1, "total": 10}}
    floors = {("c", "text"): {"min_f1": 0.89, "max_related_leak": 0.2}}
    floors[("s", "snippets.de")] = {"min_keep": 0.9, "min_drop": 0.8}
    assert gate.failures(results(**leak), floors) == []
    floors[("c", "text")] = {"min_f1": 0.91, "max_related_leak": 0.05, "min_recall": 0.9}
    floors[("s", "snippets.de")] = {"min_drop": 0.81}
    assert gate.failures(results(**leak), floors) == [
        "c text f1 0.9000 is below its floor 0.91",
        "c text related_leak 0.1000 is above its ceiling 0.05",
        "s snippets.de drop 0.8000 is below its floor 0.81",
    ]


def test_a_bound_on_what_was_not_measured_fails():
    floors = {("c", "text"): {"max_comments_leak": 0.1}, ("other", "text"): {"min_f1": 0.5}}
    assert gate.failures(results(), floors) == [
        "c text comments_leak: not measured (floor 0.1)",
        "other text f1: not measured (floor 0.5)",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[c.text]\nmin_f2 = 0.5\n",
        "[c.text]\nleast_f1 = 0.5\n",
        '[c.text]\nmin_f1 = "x"\n',
        "c = 0.5\n",
        "[c]\ntext = 0.5\n",
        "[c",
    ],
)
def test_a_floors_file_with_unknown_bounds_is_refused(tmp_path, text):
    path = tmp_path / "floors.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(gate.GateError):
        gate.load_floors(path)


def test_the_shipped_floors_read_as_bounds_on_stripper():
    floors = gate.load_floors(FLOORS)
    assert floors[("l3s-gn1", "text")]["max_related_leak"] > 0
    assert floors[("trafilatura-eval", "snippets.all")]["min_keep"] > 0.9
