"""Shim for ``scrapyd-deploy``, which builds the project egg with ``python setup.py
bdist_egg`` (and would write a setup.py of its own without this one). Everything,
including the ``scrapy`` entry point Scrapyd reads, is declared in pyproject.toml."""

from setuptools import setup

setup()
