"""pageclean: scraped YouTube watch pages in any UI language -> curated Parquet tables.

The pipeline, one package per stage: ``decode`` (bytes -> repaired text) -> ``localize``
(UI language, labels -> canonical values) -> ``formats`` (text dump / HTML / InnerTube JSON ->
one ``ParsedPage``) -> ``extract`` (chapters, links from descriptions) -> ``io`` (raw folder in,
Parquet datasets out). ``pipeline.process_page`` is the pure core that chains them.
"""

# Recorded in every row as pipeline_version; `pageclean reprocess` re-curates the pages an older
# version wrote, so raise it whenever a release parses something differently.
__version__ = "0.2.0"
