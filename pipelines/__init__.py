"""Item pipelines (normalize -> validate -> dedupe -> Parquet writer); the datasets' storage
is the :mod:`pipelines.store` package.

Enable in this order::

    ITEM_PIPELINES = {
        "pipelines.normalize.NormalizePipeline": 100,
        "pipelines.validate.ValidatePipeline": 200,
        "pipelines.dedupe.DedupePipeline": 300,
        "pipelines.writer.ParquetWriterPipeline": 900,
    }
"""
