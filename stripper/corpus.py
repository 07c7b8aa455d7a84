"""Corpora of pages with gold text (JSON Lines, optionally gzip), and their held-out split."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

HELD_OUT_MODULUS = 5


def is_held_out(record_id: str) -> bool:
    """True for the fifth of a corpus kept back from training, to measure on.

    Fixed by the record id alone: stable across runs, machines and re-orderings.
    """
    digest = hashlib.sha1(record_id.encode("utf-8")).digest()
    return int.from_bytes(digest, "big") % HELD_OUT_MODULUS == 0


def read_corpus(path: Path) -> Iterator[dict]:
    """The records of a .jsonl or .jsonl.gz file; ValueError names a bad line."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: record is not a JSON object")
            yield record
