"""What the lake's views are: their names, their columns and the rules both engines follow.

The polars frames (``frames.py``) and the DuckDB SQL (``sql.py``) implement these rules twice, one
per engine; a test holds them to the same answers. The README's view section is generated from
:data:`VIEWS`.
"""

from __future__ import annotations

from pageclean.chronology import PRECISIONS

# The derived-time columns that a view narrows across scrapes.
TIME = "published_at"
TIME_COLUMNS = (TIME, f"{TIME}_precision", f"{TIME}_earliest", f"{TIME}_latest")
# Precision ranks, finest first: the narrowed precision is the finest any sighting had.
PRECISION_RANK = {name: rank for rank, name in enumerate(PRECISIONS, start=1)}
# Name of the DuckDB database `pageclean views` writes into the curated folder.
DATABASE = "pageclean.duckdb"

_NARROWED = (
    "the published_at columns are narrowed by every scrape that saw it: published_at_earliest is "
    "the latest of their earliest ends, published_at_latest the earliest of their latest ends "
    "('2 weeks ago' and, 9 days later, '3 weeks ago' leave a window of 5 days), "
    "published_at_precision the finest precision any of them had, and published_at the latest "
    "scrape's estimate moved into that window; when the windows do not overlap the scrapes "
    "contradict each other and all four are null, with published_at_conflict = true"
)

VIEWS: dict[str, dict[str, str]] = {
    "videos_latest": {
        "doc": "one row per video_id: every column of its latest scrape (latest scraped_at, then the "
               "greatest page_id), except that " + _NARROWED + ". Pages whose video_id is unknown "
               "are left out: nothing matches them across scrapes",
        "first_seen": "scraped_at of its first scrape",
        "last_seen": "scraped_at of its latest scrape",
        "scrapes": "how many scrapes (videos rows) it has",
        "published_at_conflict": "true when its scrapes' publish windows do not overlap",
    },
    "video_history": {
        "doc": "one row per scrape of a known video_id, oldest first: the counts over time",
        "video_id": "the video",
        "scraped_at": "when this scrape was made",
        "view_count": "views at that scrape",
        "comment_count": "comments the page declared at that scrape",
        "like_count": "likes at that scrape",
        "page_id": "the scrape's page, to join the other tables",
    },
    "comments_unique": {
        "doc": "one row per comment_id across scrapes: every column of its latest sighting (latest "
               "scraped_at, then the greatest page_id, then its first position), except like_count, "
               "the latest count any scrape showed, and " + _NARROWED + ". A comment without "
               "YouTube's id is keyed by video, author and text, so an edited one is a new row",
        "first_seen": "scraped_at of the first scrape that showed it",
        "last_seen": "scraped_at of the latest scrape that showed it",
        "scrapes": "how many scrapes showed it",
        "published_at_conflict": "true when its scrapes' publish windows do not overlap",
    },
    "citations": {
        "doc": "one row per cited paper or repository (links.citation_key) that a video's own "
               "description links to (links in comments are commenters', not the episode's)",
        "citation_key": "arxiv:<id>, doi:<doi>, the repository's URL, or another paper's canonical URL",
        "kind": "paper or code",
        "arxiv_id": "its arXiv id, when it has one",
        "doi": "its DOI, when it has one",
        "url": "canonical_url of the first link to it seen",
        "label": "the reference line of the first link to it seen that has one (often the title)",
        "episodes": "the video_ids whose descriptions cite it, sorted",
        "episode_count": "how many videos cite it",
        "first_cited_at": "the earliest published_at (as in videos_latest) of the videos that cite it",
        "first_seen": "scraped_at of the first scrape that showed a link to it",
    },
}


def views_table() -> str:
    """The README's section on the views, in Markdown."""
    out = []
    for name, spec in VIEWS.items():
        out.append(f"- **`{name}`**: {spec['doc']}.")
        for column, doc in spec.items():
            if column != "doc":
                out.append(f"  - `{column}`: {doc}")
    return "\n".join(out)
