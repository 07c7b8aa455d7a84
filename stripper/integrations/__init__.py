"""Integrations with crawling and data frameworks, each behind its own extra.

`stripper.integrations.scrapy` (install `stripper[scrapy]`) and
`stripper.integrations.spark` (install `stripper[spark]`) import their framework;
this package itself imports neither, so the core install stays small.
"""
