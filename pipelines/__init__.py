"""Item pipelines (normalize -> validate -> dedupe -> Parquet writer) and dataset storage.

Enable in this order::

    ITEM_PIPELINES = {
        "pipelines.normalize.NormalizePipeline": 100,
        "pipelines.validate.ValidatePipeline": 200,
        "pipelines.dedupe.DedupePipeline": 300,
        "pipelines.writer.ParquetWriterPipeline": 900,
    }
    LOG_FORMATTER = "pipelines.logformatter.QuietDropLogFormatter"
"""
