"""strip_column on Spark in local mode (`local[2]`): the same code a cluster runs."""

from __future__ import annotations

import os
import pickle
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html

pytest.importorskip("pyspark", reason="pyspark is not installed (the stripper[spark] extra)")
pd = pytest.importorskip("pandas", reason="pandas is not installed (the stripper[spark] extra)")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (the stripper[spark] extra)")

from pyspark.sql import SparkSession  # noqa: E402

from conftest import ROOT, gazette_profiles  # noqa: E402
from stripper import Config, InputFormat, Stripper  # noqa: E402
from stripper.integrations import spark as stripper_spark  # noqa: E402
from stripper.integrations.spark import META, strip_batch, strip_column  # noqa: E402

STORIES = sorted((ROOT / "fixtures" / "site" / "articles").glob("*.html"))
MENU = ["Home", "News", "Sport", "Contact"]


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    if shutil.which("java") is None:
        pytest.skip("java is not on PATH; Spark needs a JVM (Java 17+)")
    with pytest.MonkeyPatch.context() as env:
        # Loopback only, so the test runs without a network; and the Python workers
        # run this interpreter, which has stripper (the default is `python3` on PATH).
        env.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        env.setenv("PYSPARK_PYTHON", sys.executable)
        session = (
            SparkSession.builder.master("local[2]")
            .appName("stripper-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            # A short-lived JVM: the quick compiler alone and the simple GC start faster.
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


def story(path: Path) -> tuple[str, list[str]]:
    """The page's headline and its article paragraphs, as a reader would mark them."""
    tree = html.fromstring(path.read_text("utf-8"))
    paragraphs = [" ".join(p.text_content().split()) for p in tree.xpath("//article/p")]
    return tree.xpath("string(//h1)"), paragraphs


def test_html_column_to_body_and_meta(spark: SparkSession) -> None:
    rows = [(i, path.read_text("utf-8")) for i, path in enumerate(STORIES)]
    rows += [(10, None), (11, "")]
    df = spark.createDataFrame(rows, "id int, html string")

    out = strip_column(df, "html", "body", Config(input_format=InputFormat.HTML), meta=True)

    assert out.columns == ["id", "html", "body", "body_meta"]
    assert out.schema["body_meta"].dataType == META
    got = {row.id: row for row in out.collect()}
    assert len(got) == len(rows)
    library = Stripper(Config(input_format=InputFormat.HTML))
    for i, path in enumerate(STORIES):
        title, paragraphs = story(path)
        page = path.read_text("utf-8")
        assert got[i].html == page
        assert got[i].body.split("\n\n") == paragraphs  # menus and related links are gone
        assert got[i].body_meta.title == title
        assert got[i].body_meta.removed == len(library.strip(page).removed)
        assert got[i].body_meta.error is None
    assert got[10].body is None
    assert got[10].body_meta.asDict() == {
        "title": None,
        "date": None,
        "removed": None,
        "error": None,
    }
    assert got[11].body == ""
    assert got[11].body_meta.error is None


def test_text_column_is_replaced_in_place(spark: SparkSession) -> None:
    _, paragraphs = story(STORIES[0])
    text = "\n".join([*MENU, *paragraphs])
    df = spark.createDataFrame([(text, 1), (None, 2)], "text string, n int")

    out = strip_column(df, "text")

    assert out.columns == ["text", "n"]
    assert dict(out.dtypes) == {"text": "string", "n": "int"}
    assert [tuple(row) for row in out.orderBy("n").collect()] == [
        ("\n".join(paragraphs), 1),
        (None, 2),
    ]


def test_url_column_gives_each_page_its_site_profile(spark: SparkSession, tmp_path: Path) -> None:
    db = tmp_path / "sites.db"
    new_page = gazette_profiles(db)
    rows = [(new_page, "https://www.harbour-gazette.co.uk/6", 1), (new_page, None, 2)]
    df = spark.createDataFrame(rows, "text string, url string, n int")

    out = strip_column(df, "text", "body", Config(profiles=db), url_col="url")

    bodies = [row.body.splitlines() for row in out.orderBy("n").collect()]
    chrome = "Read more from the Harbour Gazette"
    assert chrome not in bodies[0]
    story = "The harbour master closed the port to small boats on Thursday"
    assert any(line.startswith(story) for line in bodies[0])
    assert chrome in bodies[1]  # no address: no profile applies


def test_only_string_columns(spark: SparkSession) -> None:
    df = spark.createDataFrame([(1, "text")], "id int, text string")
    with pytest.raises(ValueError, match="'id' is int"):
        strip_column(df, "id")
    with pytest.raises(ValueError, match="'body' is missing"):
        strip_column(df, "body")


def test_each_worker_builds_one_stripper(spark: SparkSession) -> None:
    config = Config(min_prose_words=9)  # unlike the other tests', so built here first

    def builds(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        # Runs in a Python worker, with `config` unpickled afresh for every task.
        before = stripper_spark._stripper.cache_info().misses
        for batch in batches:
            strip_batch(pd.Series(["Words in a row."] * len(batch)), config)
        after = stripper_spark._stripper.cache_info().misses
        yield pd.DataFrame({"pid": [os.getpid()], "builds": [after - before]})

    tasks = spark.range(64, numPartitions=16).mapInPandas(builds, "pid long, builds long")
    per_worker = tasks.groupBy("pid").sum("builds").collect()
    assert len(per_worker) < 16  # workers were reused across tasks...
    assert all(row[1] == 1 for row in per_worker)  # ...and built the Stripper only once


def test_config_hashes_and_pickles_to_the_same_stripper() -> None:
    config = Config(input_format=InputFormat.HTML, languages=frozenset({"en"}))
    copy = pickle.loads(pickle.dumps(config))
    assert copy == config and hash(copy) == hash(config)
    assert stripper_spark._stripper(copy) is stripper_spark._stripper(config)


def test_a_failing_row_keeps_its_text(monkeypatch: pytest.MonkeyPatch) -> None:
    class Fails:
        def strip(self, text: str, site: str | None = None) -> None:
            raise RuntimeError("boom")

    monkeypatch.setattr(stripper_spark, "_stripper", lambda config: Fails())
    frame = strip_batch(pd.Series(["Some words.", None]), Config())
    assert frame["body"].tolist() == ["Some words.", None]
    assert frame["error"].tolist() == ["RuntimeError: boom", None]
    assert frame[["title", "date", "removed"]].isna().all().all()
