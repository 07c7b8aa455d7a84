"""The batch engine and its command line: many records in order, flat memory, and no bad
input that ends a run (README's "Bad input" table is run here row by row)."""

import gc
import gzip
import io
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_SEEDS, ROOT
from stripper import Config, InputFormat, Stripper
from stripper import cli as cli_module
from stripper.batch import Batch, BatchSettings, Summary, input_bytes
from stripper.cli import app

# Rules only: the engine does not depend on the model, and the rules keep these fast.
RULES = ["--no-model"]
P = "The city council approved the new budget on Tuesday after a long debate about transport."
ARTICLE = f"{P}\nPhoto: EPA\n{P}\n"
SEEDS = sorted((FIXTURE_SEEDS / "input").glob("*.txt"))


def invoke(args: list[str], stdin: bytes | str | None = None):
    return CliRunner().invoke(app, [*RULES, *args], input=stdin)


def jsonl(records: list) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def pages(count: int) -> list[dict]:
    """Records of real seed pages, each a little different."""
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    return [{"id": n, "text": f"{texts[n % len(texts)]}\nItem {n}\n"} for n in range(count)]


def patch_strip(monkeypatch, trigger: str, action: Callable[[], object]) -> None:
    """Stripper.strip runs `action` first on a text holding `trigger`; forked workers
    inherit the patch."""
    real = Stripper.strip

    def strip(self, text, input_format=None, site=None):
        if trigger in text:
            action()
        return real(self, text, input_format, site)

    monkeypatch.setattr(Stripper, "strip", strip)


def _raise_bug() -> None:
    raise ValueError("pathological page")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would


def test_config_and_settings_travel_to_worker_processes():
    config = Config(input_format=InputFormat.AUTO, languages=frozenset({"en"}), threshold=0.3)
    settings = BatchSettings(workers=3, jsonl=True, field="body", max_chars=5, timeout=0.5)
    assert pickle.loads(pickle.dumps(config)) == config
    assert pickle.loads(pickle.dumps(settings)) == settings


def test_workers_give_the_same_bytes_in_the_same_order(tmp_path):
    records = pages(60)
    records[25] = {"id": 25, "text": 7}  # a failure in the middle keeps its place too
    stream = jsonl(records)
    one = invoke(["--jsonl", "--workers", "1"], stream)
    two = invoke(["--jsonl", "--workers", "2"], stream)
    assert one.exit_code == two.exit_code == 1
    assert two.stdout == one.stdout
    assert [json.loads(line)["id"] for line in two.stdout.splitlines()] == list(range(60))
    assert "<stdin>:26: field 'text'" in two.stderr
    for n in range(40):  # documents: more than a chunk of them
        (tmp_path / f"page{n:02}.txt").write_text(f"{ARTICLE}Item {n}\n", encoding="utf-8")
    one = invoke(["--workers", "1", str(tmp_path)])
    two = invoke(["--workers", "2", str(tmp_path)])
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout and two.stdout.count("==> ") == 40


def test_gzip_jsonl_by_name_and_by_content(tmp_path):
    stream = jsonl(pages(5)).encode()
    plain = invoke(["--jsonl"], stream)
    named = tmp_path / "pages.jsonl.gz"
    named.write_bytes(gzip.compress(stream))
    assert invoke(["--jsonl", str(named)]).stdout == plain.stdout
    assert invoke(["--jsonl"], gzip.compress(stream)).stdout == plain.stdout  # stdin
    assert plain.exit_code == 0 and len(plain.stdout.splitlines()) == 5


def test_a_directory_is_its_files_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "inner.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "c.txt").write_text(ARTICLE, encoding="utf-8")
    result = invoke([str(tmp_path)])
    headers = [line for line in result.stdout.splitlines() if line.startswith("==>")]
    names = ["a.txt", "b/inner.txt", "c.txt"]
    assert headers == [f"==> {tmp_path / name} <==" for name in names]
    assert "Photo: EPA" not in result.stdout
    sources = [
        json.loads(line)["source"]
        for line in invoke(["-f", "json", str(tmp_path)]).stdout.splitlines()
    ]
    assert sources == [str(tmp_path / name) for name in names]


def test_a_directory_of_jsonl_files(tmp_path):
    (tmp_path / "2.jsonl").write_text(jsonl([{"id": 2, "text": ARTICLE}]), encoding="utf-8")
    (tmp_path / "1.jsonl.gz").write_bytes(
        gzip.compress(jsonl([{"id": 1, "text": ARTICLE}]).encode())
    )
    result = invoke(["--jsonl", str(tmp_path)])
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in out] == [1, 2] and all(r["stripper"]["removed"] == 1 for r in out)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_bad_records_in_the_middle_are_flagged_and_the_run_goes_on(workers):
    good = [json.dumps({"n": n, "text": ARTICLE}).encode() for n in range(40)]
    bad = [b"not json", b"[1, 2]", b'{"n": "x"}', b'{"text": 5}', b'{"text": "Caf\xe9"}']
    lines = good[:20] + bad + good[20:]
    result = invoke(["--jsonl", "--workers", workers], b"\n".join(lines) + b"\n")
    assert result.exit_code == 1
    out = result.stdout_bytes.splitlines()
    assert len(out) == 45
    assert out[20] == b"not json" and out[21] == b"[1, 2]"
    assert json.loads(out[22])["stripper"]["error"] == "field 'text' is missing or not a string"
    assert json.loads(out[23])["text"] == 5
    assert (
        out[24]
        == b'{"text": "Caf\xe9", "stripper": {"error": "invalid UTF-8 (byte 0xe9 at offset 13)"}}'
    )
    assert all(json.loads(line)["stripper"]["removed"] == 1 for line in out[:20] + out[25:])
    for line in range(21, 26):
        assert f"error: <stdin>:{line}: " in result.stderr
    assert "45 records" in result.stderr and "5 errors" in result.stderr  # the summary


def test_the_size_guard_passes_a_long_text_through_flagged():
    stream = jsonl([{"text": ARTICLE}, {"text": "x" * 300}, {"text": ARTICLE}])
    result = invoke(["--jsonl", "--max-chars", "200"], stream)
    first, second, third = (json.loads(line) for line in result.stdout.splitlines())
    assert second == {
        "text": "x" * 300,
        "stripper": {"error": "300 characters, over the limit of 200"},
    }
    assert first["stripper"]["removed"] == third["stripper"]["removed"] == 1
    assert result.exit_code == 1


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_time_guard_passes_a_slow_document_through_flagged(monkeypatch, workers):
    patch_strip(monkeypatch, "slow", partial(time.sleep, 30))
    records = [{"text": ARTICLE} for _ in range(40)]
    records[17] = {"text": "slow"}
    handler = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    result = invoke(["--jsonl", "--timeout", "0.3", "--workers", workers], jsonl(records))
    assert time.monotonic() - started < 10
    assert signal.getsignal(signal.SIGALRM) is handler  # the guard leaves no trace behind
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[17] == {"text": "slow", "stripper": {"error": "took longer than 0.3 s"}}
    assert all(r["stripper"].get("removed") == 1 for r in out[:17] + out[18:])
    assert result.exit_code == 1


def test_a_record_too_large_to_read_is_copied_through_unread(monkeypatch, tmp_path):
    monkeypatch.setattr(cli_module, "BatchSettings", partial(BatchSettings, max_record_bytes=100))
    big = json.dumps({"text": "y" * 500})
    result = invoke(["--jsonl"], f'{{"text": "ok"}}\n{big}\n{{"text": "ok"}}')
    assert result.stdout.splitlines()[1] == big
    assert "<stdin>:2: over 100 bytes, too large to read; passed through" in result.stderr
    page = tmp_path / "page.txt"
    page.write_text("z" * 150, encoding="utf-8")
    result = invoke([str(page)])
    assert result.exit_code == 1 and result.stdout == "z" * 150 + "\n"


def test_the_library_engine(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    batch = Batch(Config(use_model=False), BatchSettings(workers=1))
    summary = Summary()
    for outcome in batch.run([page, tmp_path / "missing.txt"]):
        summary.add(outcome)
    assert (summary.records, summary.failures, summary.removed) == (2, 1, len("Photo: EPA"))
    assert summary.bytes_read == len(ARTICLE)
    assert input_bytes([tmp_path]) == len(ARTICLE) and input_bytes([Path("-")]) is None


def run_cli(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "stripper", *RULES, *args]
    return subprocess.run(command, capture_output=True, timeout=120, **kwargs)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads a pseudo-terminal")
def test_progress_on_a_terminal_quiet_when_piped_or_asked(tmp_path):
    import pty

    source = tmp_path / "pages.jsonl"
    source.write_text(jsonl(pages(30)), encoding="utf-8")

    def stderr_on_a_terminal(*options: str) -> str:
        leader, follower = pty.openpty()
        command = [sys.executable, "-m", "stripper", *RULES, "--jsonl", *options, str(source)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower)
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            seen += chunk
        os.close(leader)
        assert process.wait(timeout=60) == 0
        return seen.decode()

    shown = stderr_on_a_terminal()
    assert re.search(r"\r\d+ records  [\d.]+ MB  [\d.]+ MB/s  [\d,]+ records/s  \d+%  ETA", shown)
    summary = shown.split("\r\x1b[K")[-1]  # the progress line cleared, then the totals
    assert summary.startswith("stripper: 30 records, ") and summary.endswith("; 0 errors\r\n")
    assert stderr_on_a_terminal("--quiet") == ""
    piped = run_cli(["--jsonl", str(source)])
    assert piped.returncode == 0 and piped.stderr == b""


def test_quiet_drops_the_summary_not_the_errors():
    stream = jsonl([{"text": ARTICLE}, {"text": 1}, {"text": ARTICLE}])
    result = invoke(["--jsonl", "--quiet"], stream)
    assert (
        result.stderr
        == "stripper: error: <stdin>:2: field 'text' is missing or not a string; passed through\n"
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="peak memory via getrusage")
def test_memory_stays_flat_as_the_stream_grows(tmp_path):
    """Peak RSS over a 20 MB and an 80 MB stream: the same, give or take noise."""
    body = (FIXTURE_SEEDS / "input" / SEEDS[0].name).read_text(encoding="utf-8")[:600]
    filler = "lorem ipsum " * 2000  # a big field nobody cleans: many MB at little CPU
    record = json.dumps({"text": body, "html": filler}) + "\n"
    peaks = []
    for megabytes in (20, 80):
        source = tmp_path / f"{megabytes}.jsonl"
        with source.open("w", encoding="utf-8") as out:
            out.writelines(record for _ in range(megabytes * 10**6 // len(record)))
        # A fresh parent per run: RUSAGE_CHILDREN is the peak of its own descendants.
        measure = (
            "import resource, subprocess, sys; "
            "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        command = [
            sys.executable,
            "-m",
            "stripper",
            *RULES,
            "--jsonl",
            "--workers",
            "2",
            str(source),
        ]
        done = subprocess.run(
            [sys.executable, "-c", measure, *command],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        peaks.append(int(done.stdout) / 1024)  # ru_maxrss is in KiB on Linux
        source.unlink()
    assert peaks[1] - peaks[0] < 30, (
        f"peak RSS {peaks[0]:.0f} MB for 20 MB, {peaks[1]:.0f} MB for 80 MB"
    )


# README's "Bad input" table, row by row: each row's exit code and stderr are checked here,
# and each case checks what its row says comes out on stdout.


def _bad_input_rows() -> dict[str, tuple[int, str]]:
    """First cell -> (exit code, the stderr snippet in backticks, or "" for nothing)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Bad input\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| input "):
            continue
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        snippet = "" if cells[2] == "nothing" else cells[2].strip("`")
        rows[cells[0]] = (int(cells[1]), snippet)
    return rows


def _missing_file(tmp_path, monkeypatch):
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["nope.txt", "page.txt"])
    assert result.stdout == f"==> page.txt <==\n{P}\n{P}\n"  # no header for nope.txt
    return result


def _document_not_utf8(tmp_path, monkeypatch):
    result = invoke([], b"Caf\xe9 society returns to the city centre.\n")
    assert result.stdout == "Caf\ufffd society returns to the city centre.\n"
    return result


def _unchanged_after_a_good_record(line: str) -> Callable:
    """A case: `line`, second in a JSONL stream, comes out as it went in."""

    def case(tmp_path, monkeypatch):
        result = invoke(["--jsonl"], f'{{"text": "Fine."}}\n{line}\n')
        assert result.stdout.splitlines()[1] == line
        return result

    return case


def _field_missing(tmp_path, monkeypatch):
    result = invoke(["--jsonl"], '{"body": "x"}\n{"text": null}\n')
    flagged = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["stripper"]["error"] for r in flagged] == [
        "field 'text' is missing or not a string"
    ] * 2
    assert flagged[0]["body"] == "x" and flagged[1]["text"] is None
    return result


def _record_not_utf8(tmp_path, monkeypatch):
    result = invoke(["--jsonl"], b'{"text": "Fine."}\n{"text": "Caf\xe9"}\n')
    flagged = result.stdout_bytes.splitlines()[1]
    assert flagged.startswith(b'{"text": "Caf\xe9", "stripper": {"error": "invalid UTF-8')
    return result


def _lone_surrogate(tmp_path, monkeypatch):
    result = invoke(["--jsonl"], '{"text": "\\ud800 lone surrogate"}\n')
    assert json.loads(result.stdout)["text"] == "\ud800 lone surrogate"
    assert "\\ud800" in result.stdout
    return result


def _truncated_gzip(tmp_path, monkeypatch):
    whole = gzip.compress(jsonl(pages(50)).encode())
    source = tmp_path / "pages.jsonl.gz"
    source.write_bytes(whole[: len(whole) // 2])
    result = invoke(["--jsonl", str(source)])
    cleaned = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert cleaned == list(range(len(cleaned))) and cleaned
    return result


def _not_gzip(tmp_path, monkeypatch):
    (tmp_path / "x.jsonl.gz").write_text(jsonl([{"text": ARTICLE}]), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["--jsonl", "x.jsonl.gz"])
    assert result.stdout == ""
    return result


def _fifty_megabyte_line(tmp_path, monkeypatch):
    line = json.dumps({"id": 1, "text": "word " * 10_000_000})
    result = invoke(["--jsonl"], f"{line}\n{json.dumps({'id': 2, 'text': ARTICLE})}\n")
    first, second = result.stdout.splitlines()
    assert (
        first
        == line[:-1]
        + ', "stripper": {"error": "50,000,000 characters, over the limit of 10,000,000"}}'
    )
    assert json.loads(second)["stripper"]["removed"] == 1
    return result


def _over_64_mib(tmp_path, monkeypatch):
    source = tmp_path / "huge.txt"
    with source.open("wb") as out:  # sparse: 65 MiB without writing them
        out.truncate(65 << 20)
    result = invoke([str(source)])
    assert result.stdout_bytes == b"\0" * (65 << 20) + b"\n"
    return result


def _million_short_lines(tmp_path, monkeypatch):
    text = "".join(f"{n}\n" for n in range(1_000_000))
    result = invoke(["--timeout", "1"], text)
    assert result.stdout == text
    return result


def _deep_html(tmp_path, monkeypatch):
    page = "<html><body>" + "<div>" * 300 + f"<p>{P}</p>" + "</div>" * 300 + "</body></html>\n"
    result = invoke(["--input", "html"], page)
    assert result.stdout == page
    return result


def _pipeline_bug(tmp_path, monkeypatch):
    patch_strip(monkeypatch, "boom", _raise_bug)
    plain = invoke([], "boom")
    assert plain.exit_code == 1 and plain.stdout == "boom\n"
    assert plain.stderr.startswith("stripper: error: <stdin>: could not be cleaned (ValueError")
    as_json = json.loads(invoke(["--format", "json"], "boom").stdout)
    assert as_json == {
        "body": "boom",
        "error": "could not be cleaned (ValueError: pathological page)",
    }
    result = invoke(["--jsonl"], jsonl([{"text": "boom"}, {"text": ARTICLE}]))
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    error = "could not be cleaned (ValueError: pathological page)"
    assert first == {"text": "boom", "stripper": {"error": error}}
    assert second["stripper"]["removed"] == 1
    return result


def _worker_dies(tmp_path, monkeypatch):
    patch_strip(monkeypatch, "fatal", _die)
    monkeypatch.setattr(cli_module, "BatchSettings", partial(BatchSettings, chunk_records=1))
    records = [{"text": ARTICLE} for _ in range(4)]
    records[2] = {"text": "fatal"}
    result = invoke(["--jsonl", "--workers", "2", "--timeout", "0.2"], jsonl(records))
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[2] == {"text": "fatal", "stripper": {"error": "the worker cleaning it died or hung"}}
    assert [r["stripper"].get("removed") for r in out] == [1, 1, None, 1]
    return result


def _empty(tmp_path, monkeypatch):
    for args in ([], ["--jsonl"]):
        result = invoke(args, "")
        assert result.exit_code == 0 and result.stdout == result.stderr == ""
    return result


def _missing_profiles(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(["--profiles", "nope.db", "--site", "example.com"], ARTICLE)
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert not (tmp_path / "nope.db").exists()  # not created by a run that only reads it
    return result


def _profiles_not_sqlite(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.db").write_text("not a database\n", encoding="utf-8")
    result = invoke(["--jsonl", "--profiles", "bad.db"], jsonl([{"text": ARTICLE}]))
    assert result.stdout == "" and result.stderr.count("\n") == 1
    return result


def _profiles_without_site(tmp_path, monkeypatch):
    (tmp_path / "sites.db").touch()
    result = invoke(["--profiles", str(tmp_path / "sites.db")], ARTICLE)
    assert result.stdout == ""
    return result


def _unknown_option(tmp_path, monkeypatch):
    result = invoke(["--no-such-option"], ARTICLE)
    assert result.stdout == ""
    return result


def _zero_workers(tmp_path, monkeypatch):
    result = invoke(["--workers", "0"], ARTICLE)
    assert result.stdout == ""
    return result


BAD_INPUT_CASES = {
    "a file that does not exist": _missing_file,
    "a document that is not valid UTF-8": _document_not_utf8,
    "a JSONL line that is not JSON": _unchanged_after_a_good_record("not json"),
    "JSON nested too deep to parse": _unchanged_after_a_good_record("[" * 10**5 + "]" * 10**5),
    "a JSONL record that is not an object": _unchanged_after_a_good_record("[1, 2]"),
    "a record without the field, or where it is not a string": _field_missing,
    "a JSONL record that is not valid UTF-8": _record_not_utf8,
    "a `\\ud800` escape (a lone surrogate)": _lone_surrogate,
    "a truncated `.gz`": _truncated_gzip,
    "a `.gz` file that is not gzip": _not_gzip,
    "a 50 MB line: a text over `--max-chars`": _fifty_megabyte_line,
    "a record over 64 MiB": _over_64_mib,
    "a million short lines: slower than `--timeout`": _million_short_lines,
    "HTML nested deeper than 255 elements": _deep_html,
    "a page the pipeline fails on (a bug)": _pipeline_bug,
    "a page its worker process dies on": _worker_dies,
    "empty input": _empty,
    "a `--profiles` file that does not exist": _missing_profiles,
    "a `--profiles` file that is not SQLite": _profiles_not_sqlite,
    "`--profiles` on documents without `--site`": _profiles_without_site,
    "an unknown option": _unknown_option,
    "`--workers 0`": _zero_workers,
}


def test_every_bad_input_row_has_a_case_and_every_case_a_row():
    assert list(_bad_input_rows()) == list(BAD_INPUT_CASES)


@pytest.mark.parametrize("row", list(_bad_input_rows()))
def test_bad_input_row(row, tmp_path, monkeypatch):
    exit_code, stderr = _bad_input_rows()[row]
    result = BAD_INPUT_CASES[row](tmp_path, monkeypatch)
    assert result.exit_code == exit_code, result.output
    if stderr:
        assert stderr in result.stderr
    else:
        assert result.stderr == ""
    assert "Traceback" not in result.output


def test_a_callers_frozen_objects_stay_frozen_through_a_pooled_run():
    gc.freeze()
    try:
        batch = Batch(Config(use_model=False), BatchSettings(workers=2, jsonl=True))
        outcomes = list(batch.run([], stdin=io.BytesIO(jsonl(pages(40)).encode())))
        assert len(outcomes) == 40
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
