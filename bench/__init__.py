"""Benchmarks for stripper (not part of the installed package)."""
