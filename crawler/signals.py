"""The project's own signals (sent with ``crawler.signals``), so that components depend on
each other through signals, never on their order in a settings dict.

- :data:`state_to_commit`: sent by the writer before it commits a run; each receiver
  returns ``{name: JSON-able}``, published as ``OUTPUT_DIR/state/<name>.json`` in the
  same commit as the data.
- :data:`outcome_decided`: sent once the run's outcome is on the stats (arguments
  ``spider``, ``reason``); the run summary is written on it.
"""

state_to_commit = object()
outcome_decided = object()
