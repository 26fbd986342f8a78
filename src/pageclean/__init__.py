"""pageclean: scraped YouTube watch pages in any UI language -> curated Parquet tables.

The pipeline, one package per stage: ``decode`` (bytes -> repaired text) -> ``localize``
(UI language, labels -> canonical values) -> ``formats`` (text dump / HTML / InnerTube JSON ->
one ``ParsedPage``) -> ``extract`` (chapters, links from descriptions) -> ``io`` (raw folder in,
Parquet datasets out). ``pipeline.process_page`` is the pure core that chains them.
"""

__version__ = "0.1.0"
