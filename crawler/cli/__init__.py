"""Command-line tools over an output directory: ``inspect`` (what is stored) and ``migrate``
(rewrite files of an older schema or layout)."""
