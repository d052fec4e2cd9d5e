"""Scrapy project that crawls The Times of Central Asia into Parquet datasets."""

__version__ = "0.1.0"
