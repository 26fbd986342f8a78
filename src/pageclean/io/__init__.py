"""Stage 5 and the edges: the raw folder in, the curated Parquet datasets out."""
