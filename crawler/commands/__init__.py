"""Project commands (``COMMANDS_MODULE``): ``crawl`` with exit codes a scheduler can use
(the only command that writes ``OUTPUT_DIR``), ``parse`` following the URL's site."""

from crawler.arrowmem import lean_arrow

# before anything imports pyarrow (the pipelines' schemas build arrays on import): the
# crawl process runs without pandas, Arrow on jemalloc; see crawler.arrowmem
lean_arrow()
