"""Strip boilerplate from a Spark DataFrame column, on one machine or on a cluster.

    from stripper import Config, InputFormat
    from stripper.integrations.spark import strip_column

    pages = strip_column(pages, "html", "body", Config(input_format=InputFormat.HTML), meta=True)

The work runs in a pandas UDF, a batch of rows at a time. Each Python worker process
builds its Stripper once (rules, and a model where the config has one) and reuses it
for every batch and task it runs. The executors need `stripper[spark]` installed.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import IntegerType, StringType, StructField, StructType

from stripper import Config, Stripper
from stripper.profiles import site_of

# The meta struct: the same fields as the Scrapy pipeline's meta field.
META = StructType(
    [
        StructField("title", StringType()),
        StructField("date", StringType()),
        StructField("removed", IntegerType()),  # how many parts were cut
        StructField("error", StringType()),  # set when the row could not be stripped
    ]
)
_RESULT = StructType([StructField("body", StringType()), *META.fields])


def strip_column(
    df: DataFrame,
    input_col: str,
    output_col: str | None = None,
    config: Config | None = None,
    *,
    meta: bool = False,
    url_col: str | None = None,
) -> DataFrame:
    """`df` with `output_col` (default: `input_col`, replaced) holding the stripped text.

    With `meta`, also a struct column `<output_col>_meta` of title, date, removed and
    error. `url_col` names the pages' addresses: their sites, for
    `Config(profiles=...)`. A null text gives a null body (and a meta of nulls). A row
    the Stripper fails on keeps its original text and gets the error in `error`; the
    job goes on.
    """
    output_col = output_col or input_col
    config = config or Config()
    dtype = dict(df.dtypes).get(input_col, "missing")
    if dtype != "string":
        raise ValueError(f"strip_column needs a string column; {input_col!r} is {dtype}")

    urls = df[url_col] if url_col else F.lit(None).cast(StringType())
    # The UDFs close over `config` only: it is pickled to the executors, where
    # `_stripper` looks it up by value, so every task with an equal config shares one.
    if not meta:

        @F.pandas_udf(StringType())
        def bodies(texts: pd.Series, urls: pd.Series) -> pd.Series:
            return strip_batch(texts, config, urls)["body"]

        return df.withColumn(output_col, bodies(df[input_col], urls))

    @F.pandas_udf(_RESULT)
    def results(texts: pd.Series, urls: pd.Series) -> pd.DataFrame:
        return strip_batch(texts, config, urls)

    # Through one temporary column, so the UDF runs once per row for both outputs.
    result = "__stripper_result"
    return (
        df.withColumn(result, results(df[input_col], urls))
        .withColumn(output_col, F.col(result).getField("body"))
        .withColumn(f"{output_col}_meta", F.col(result).dropFields("body"))
        .drop(result)
    )


def strip_batch(texts: pd.Series, config: Config, urls: pd.Series | None = None) -> pd.DataFrame:
    """One batch of the UDF: a row of body, title, date, removed and error per text."""
    stripper = _stripper(config)
    rows: list[tuple[str | None, str | None, str | None, int | None, str | None]] = []
    for text, url in zip(texts, urls if urls is not None else [None] * len(texts), strict=True):
        if not isinstance(text, str):  # a null arrives as None or NaN
            rows.append((None, None, None, None, None))
            continue
        site = site_of(url) if isinstance(url, str) else None  # for the site profiles
        try:
            result = stripper.strip(text, site=site)
        except Exception as exc:  # one bad row must not fail a job of millions
            rows.append((text, None, None, None, f"{type(exc).__name__}: {exc}"))
            continue
        rows.append((result.body, result.title, result.date, len(result.removed), None))
    frame = pd.DataFrame(rows, columns=_RESULT.fieldNames(), dtype=object)
    # Nullable integers: a float column of NaNs would not convert to Spark's int.
    return frame.astype({"removed": "Int32"})


@cache
def _stripper(config: Config) -> Stripper:
    """One Stripper per config per Python process; Config is frozen, so it hashes."""
    return Stripper(config)
