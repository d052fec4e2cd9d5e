"""Benchmarks: the crawl side by side with bare Scrapy and trafilatura (``make bench``)."""
