"""Format parsers: one raw page (text dump, HTML, InnerTube JSON) -> one ``ParsedPage``."""
