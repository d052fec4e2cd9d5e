"""``timesca-report``: an output directory as one self-contained HTML page of charts.

- :mod:`.data` reads the columns the charts need from the datasets (a batch at a time)
- :mod:`.charts` draws each chart with matplotlib as inline SVG (or a note in its place)
- :mod:`.page` assembles the page; :mod:`crawler.cli.report` is the command
"""
