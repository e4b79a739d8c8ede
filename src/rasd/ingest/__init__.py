"""Rasd ingest: every input source (files, folders, archives, URLs, feeds, stdin) as RawDocuments.

Start at :func:`rasd.ingest.sources.iter_inputs`; the modules are imported
lazily by callers because trafilatura, feedparser and warcio are slow to load.
"""
