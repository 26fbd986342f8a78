"""The curated tables' contract: one explicit pyarrow schema per table, with column docs.

Downstream queries depend on these names. The schema only grows: a column is added (nullable, with
its version in ``ADDED_IN``), never renamed, retyped or removed, so a dataset can hold files of every
version side by side and a query reads them by name (DuckDB ``union_by_name=true``; polars through
``pageclean.lake.open``; columns an old file lacks read as null). ``pageclean compact``
rewrites old files to the current schema. The README's data dictionary is generated from this module
(``python -m pageclean.schema``), never written by hand.

Every table is a Hive-partitioned Parquet dataset under ``<curated>/<table>/scrape_date=YYYY-MM-DD/``
(``scrape_date`` lives in the folder name, as Hive partitioning does, so DuckDB and polars prune).
"""

from __future__ import annotations

import pyarrow as pa

# The version of the tables' schema that this code writes: one more than the last released schema
# whenever a release adds columns (pageclean 0.1.0 wrote version 1).
SCHEMA_VERSION = 2
PARTITION_COLUMN = "scrape_date"

_TS = pa.timestamp("us", tz="UTC")


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


def _window(name: str) -> list[pa.Field]:
    """The precision and the window of the derived time ``name`` (see ``pageclean.chronology``)."""
    return [
        _f(f"{name}_precision", pa.string(), f"how precise {name} is: exact (an instant the page gives), "
           "second, minute, hour, day (a date shown on the page, or an age in days), week, month or "
           "year (the unit the age was shown in: '3 years ago' is year); null when it is null"),
        _f(f"{name}_earliest", _TS, f"the earliest {name} can be: the shown age rounded down by YouTube "
           "('3 years ago' is 3 to 4 years before the scrape, a month 28 to 31 days, a year 365 to 366), "
           "a shown date in any time zone; null when it is null, or unbounded (an age counted back "
           "from a file mtime, which is only an upper bound on the scrape time)"),
        _f(f"{name}_latest", _TS, f"the latest {name} can be (UTC); {name} lies in "
           f"[{name}_earliest, {name}_latest]"),
    ]


_PAGE_ID = _f("page_id", pa.string(), "hex sha256 of the raw file's bytes; joins every table", False)
_POSITION = "0-based order on the page"
_VIDEO_ID = _f("video_id", pa.string(), "the page's 11-character YouTube video id, when known")

VIDEOS = pa.schema(
    [
        _PAGE_ID,
        _f("source_path", pa.string(), "raw file, relative to the raw folder, '/'-separated", False),
        _f("source_format", pa.string(), "textdump | html | json", False),
        _f("parser", pa.string(), "which parser produced the row (textdump, html-initialdata, ...)", False),
        _f("ui_language", pa.string(), "YouTube hl code of the page's UI (kk, de, en-GB...); null when unknown"),
        _f("ui_language_evidence", pa.string(), "the labels that decided ui_language, or why it is null"),
        _f("scraped_at", _TS, "when the page was scraped (sidecar scraped_at, else file mtime)", False),
        _f("scraped_at_source", pa.string(), "sidecar | mtime", False),
        _VIDEO_ID,
        _f("url", pa.string(), "the scraped URL from the sidecar"),
        _f("title", pa.string(), "video title"),
        _f("channel", pa.string(), "channel name, bidi/zero-width characters removed, NFKC"),
        _f("channel_id", pa.string(), "UC... channel id, when the page carries it"),
        _f("channel_as_shown", pa.string(), "channel name exactly as the page showed it"),
        _f("view_count", pa.int64(), "views (10936), from the label or the machine-readable count"),
        _f("views_text", pa.string(), "the views label as shown ('Рет қаралды 10,936')"),
        _f("published_text", pa.string(), "the publish label as shown ('Күн бұрын', 'vor 4 Jahren')"),
        _f("published_at", _TS, "publish time: the page's date, or scraped_at minus the shown age; null, "
           "with a warning, when one of its comments is certainly older than it"),
        *_window("published_at"),
        _f("comment_count", pa.int64(), "comment count as the page declares it (37)"),
        _f("like_count", pa.int64(), "likes, when shown"),
        _f("duration_seconds", pa.int64(), "video length in seconds, when known"),
        _f("description", pa.string(), "the description, UI chrome removed, line breaks kept"),
        _f("availability", pa.string(), "whether the video can be watched, as the page says: ok | age_restricted | "
           "login_required | members_only | private | unavailable | live_upcoming | live_offline | unplayable; "
           "null when the page does not say"),
        _f("availability_reason", pa.string(), "the message the page shows with it ('Video unavailable', "
           "'This video is private'), as shown"),
        _f("chapter_count", pa.int64(), "rows in chapters for this page", False),
        _f("link_count", pa.int64(), "rows in links for this page", False),
        _f("comment_rows", pa.int64(), "rows in comments for this page (may be < comment_count)", False),
        _f("related_count", pa.int64(), "rows in related_videos for this page", False),
        _f("source_encoding", pa.string(), "encoding the bytes were read as (utf-8, windows-1251...)", False),
        _f("encoding_repairs", pa.list_(pa.string()), "what decoding fixed, in order; empty = nothing", False),
        _f("warnings", pa.list_(pa.string()), "what parsed but looked wrong (count mismatch, dropped chapter)", False),
        _f("page_text_en", pa.string(), "the page text with UI labels rendered in English, content as written"),
        _f("size_bytes", pa.int64(), "size of the raw file", False),
        _f("pipeline_version", pa.string(), "pageclean version that wrote the row", False),
    ]
)

CHAPTERS = pa.schema(
    [
        _PAGE_ID,
        _f("position", pa.int32(), _POSITION, False),
        _f("start_seconds", pa.int64(), "chapter start", False),
        _f("end_seconds", pa.int64(), "next chapter's start; the video's end for the last, or null"),
        _f("title", pa.string(), "chapter title", False),
        _f("source", pa.string(), "creator (the page's chapter data) | description (parsed from the "
           "description's text) | auto (YouTube's automatic chapters); null only in rows written before the column "
           "existed"),
        _VIDEO_ID,
    ]
)

LINKS = pa.schema(
    [
        _PAGE_ID,
        _f("position", pa.int32(), _POSITION, False),
        _f("url", pa.string(), "absolute http(s) URL (redirects unwrapped); text without a scheme is a link "
           "only by the rule in extract/data/display_urls.toml (it has a path, or www., or a common web "
           "TLD that is no file extension: not ASP.NET, README.md)", False),
        _f("domain", pa.string(), "host without www.", False),
        _f("label", pa.string(), "the reference line above the link, or the text before it"),
        _f("truncated", pa.bool_(), "the page showed the URL cut with '...'", False),
        _f("origin", pa.string(), "description | comment", False),
        _f("display_text", pa.string(), "the link as the page showed it", False),
        _f("linked_video_id", pa.string(), "video id when the link points at a YouTube video"),
        _f("linked_start_seconds", pa.int64(), "t= of a YouTube video link"),
        _f("comment_position", pa.int32(), "position of the comment holding the link"),
        _VIDEO_ID,
        _f("kind", pa.string(), "what the link points at: paper (arXiv, DOI, OpenReview, ACL Anthology, "
           "Semantic Scholar, PubMed, publishers), code (GitHub, GitLab, Hugging Face), podcast, social, "
           "support (Patreon, Ko-fi...), youtube (video, playlist or channel) or other; null only when a "
           "cut URL stops before the part that decides (github.com/spon...: sponsors or a repository)"),
        _f("arxiv_id", pa.string(), "arXiv identifier without its version (2101.06223, hep-th/9901001), "
           "from arXiv URLs and arXiv DOIs; null when absent or cut"),
        _f("arxiv_version", pa.int32(), "the version the link names (2101.06223v1 -> 1); null when it names "
           "none or the URL is cut inside it"),
        _f("doi", pa.string(), "DOI in the URL, lower-case (DOIs are case-insensitive), without the "
           "publisher's page words (/abstract, .pdf); null when absent or cut"),
        _f("canonical_url", pa.string(), "url with the host lower-cased, tracking parameters removed "
           "(utm_*, si, fbclid, feature=shared...), youtu.be and m.youtube.com folded into "
           "https://www.youtube.com/watch?v=; for a URL the page showed cut, only the part shown"),
        _f("citation_key", pa.string(), "the work the link cites, one key for every link to it: "
           "arxiv:<arxiv_id>, doi:<doi>, for code the repository's URL (https://github.com/<owner>/<repo>, "
           "lower-cased on GitHub), for another paper its canonical_url; null for the other kinds and "
           "for a cut URL whose key would run into the cut. The citations view groups by it"),
    ]
)

COMMENTS = pa.schema(
    [
        _PAGE_ID,
        _f("position", pa.int32(), _POSITION, False),
        _f("comment_id", pa.string(), "YouTube's comment id, else a hash of video, author and text", False),
        _f("author", pa.string(), "author handle (@daveman683), normalized; a pseudonym with "
           "--pseudonymize-authors", False),
        _f("author_as_shown", pa.string(), "the handle exactly as shown (the pseudonym when pseudonymized)", False),
        _f("text", pa.string(), "comment text, lines kept, reply marker removed", False),
        _f("published_text", pa.string(), "the age label as shown ('3 жыл бұрын')"),
        _f("published_at", _TS, "scraped_at minus the shown age; null, with a warning, when a reply and the "
           "comment it answers say the reply is older (both are nulled)"),
        *_window("published_at"),
        _f("like_count", pa.int64(), "likes, where the page shows them"),
        _f("reply_to", pa.string(), "handle the comment replies to (leading @@handle), normalized like author"),
        _f("reply_count", pa.int64(), "replies, where the page shows them"),
        _f("parent_comment_id", pa.string(), "comment_id of the thread's top comment, for replies"),
        _f("edited", pa.bool_(), "the page marked the comment as edited", False),
        _VIDEO_ID,
    ]
)

RELATED_VIDEOS = pa.schema(
    [
        _PAGE_ID,
        _f("position", pa.int32(), _POSITION, False),
        _f("title", pa.string(), "related video title", False),
        _f("channel", pa.string(), "its channel, when shown (normalized like videos.channel)"),
        _f("channel_as_shown", pa.string(), "its channel exactly as shown"),
        _f("duration_seconds", pa.int64(), "its length, when shown"),
        _f("view_count", pa.int64(), "its views ('22 М.' -> 22000), when shown"),
        _f("video_id", pa.string(), "its video id, when the page carries it"),
        _f("published_text", pa.string(), "its age label, when shown"),
        _f("source_video_id", pa.string(), "video id of the page it was listed on"),
        _f("published_at", _TS, "scraped_at minus its age label, when the label is an age "
           "('6 years ago'); the sidebar's ages are the only publish times the lake has of videos it "
           "never scraped"),
        *_window("published_at"),
    ]
)

REJECTS = pa.schema(
    [
        _f("source_path", pa.string(), "raw file, relative to the raw folder", False),
        _f("page_id", pa.string(), "hex sha256 of the bytes, when they could be read"),
        _f("reason", pa.string(), "short code: empty, binary, not_a_watch_page, ... (see README)", False),
        _f("detail", pa.string(), "a sentence a person understands", False),
        _f("source_format", pa.string(), "textdump | html | json | unknown", False),
        _f("size_bytes", pa.int64(), "size of the raw file, when known"),
        _f("rejected_at", _TS, "when the run rejected it", False),
        _f("pipeline_version", pa.string(), "pageclean version that wrote the row", False),
    ]
)

# Which schema version added each column after version 1: every column not listed here was in
# version 1, the schema of pageclean 0.1.0 (tests/fixtures/lake-v1 holds files it wrote, and
# tests/test_schema_evolution.py checks this record against them). Add a new column here, under
# SCHEMA_VERSION; never move one.
ADDED_IN: dict[int, dict[str, tuple[str, ...]]] = {
    2: {
        "videos": ("published_at_precision", "published_at_earliest", "published_at_latest", "availability",
                   "availability_reason"),
        "chapters": ("source",),
        "links": ("kind", "arxiv_id", "arxiv_version", "doi", "canonical_url", "citation_key"),
        "comments": ("published_at_precision", "published_at_earliest", "published_at_latest"),
        "related_videos": ("published_at", "published_at_precision", "published_at_earliest", "published_at_latest"),
    },
}

_TABLES = {
    "videos": VIDEOS,
    "chapters": CHAPTERS,
    "links": LINKS,
    "comments": COMMENTS,
    "related_videos": RELATED_VIDEOS,
    "rejects": REJECTS,
}


def added_in(table: str, column: str) -> int:
    """The schema version that added ``table.column`` (1 for the columns of the first release)."""
    return next((v for v, tables in sorted(ADDED_IN.items()) if column in tables.get(table, ())), 1)


def _with_versions(name: str, schema: pa.Schema) -> pa.Schema:
    """``schema`` with each field's version in its metadata (``since``), next to its doc."""
    return pa.schema([f.with_metadata({**(f.metadata or {}), b"since": str(added_in(name, f.name)).encode()})
                      for f in schema])


TABLES: dict[str, pa.Schema] = {name: _with_versions(name, schema) for name, schema in _TABLES.items()}
VIDEOS, CHAPTERS, LINKS, COMMENTS, RELATED_VIDEOS, REJECTS = TABLES.values()


def data_dictionary() -> str:
    """The README's data dictionary, in Markdown, from the schemas above."""
    out = [
        f"Schema version {SCHEMA_VERSION}. Every table is partitioned by `{PARTITION_COLUMN}` "
        "(a Hive folder `scrape_date=YYYY-MM-DD`, the UTC date of `scraped_at`; for rejects, "
        "of the run). `since` is the schema version that added the column: files written before it "
        "lack it, and queries read it as null there (see Query the tables).\n"
    ]
    for name, schema in TABLES.items():
        out.append(f"### `{name}`\n\n| column | type | null | since | meaning |\n|---|---|---|---|---|")
        for field in schema:
            doc = (field.metadata or {}).get(b"doc", b"").decode()
            out.append(f"| `{field.name}` | {field.type} | {'yes' if field.nullable else 'no'} "
                       f"| {added_in(name, field.name)} | {doc} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(data_dictionary())
