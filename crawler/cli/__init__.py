"""Command-line tools over an output directory: ``inspect`` (what is stored), ``migrate``
(rewrite files of an older schema or layout) and ``report`` (the HTML report with charts)."""
