"""The exception tree: every bad input is a ``RejectError`` carrying a reason code and a sentence."""

from __future__ import annotations


class PagecleanError(Exception):
    """Root of every error pageclean raises on purpose."""


class RejectError(PagecleanError):
    """A raw page that cannot become a ``videos`` row.

    ``reason`` is a short stable code (it lands in ``rejects.reason`` and downstream queries group
    by it); ``detail`` is a sentence a person understands.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class ConfigError(PagecleanError):
    """Bad command-line or environment configuration (a user error, not a page error)."""


class CuratedLockedError(PagecleanError):
    """Another run holds the curated folder's lock."""


# Reason codes, in one place so the README and the rejects table agree.
REASONS: dict[str, str] = {
    "unsupported_format": "the file's extension is not one pageclean parses",
    "empty": "the file is empty or holds only whitespace",
    "binary": "the bytes are not text (an image, an archive, or NUL-filled)",
    "undecodable": "no text encoding fits the bytes",
    "too_large": "the file is larger than --max-bytes",
    "not_a_watch_page": "the page is not a YouTube watch page (consent wall, channel, search, other site)",
    "no_content": "the page parsed but holds no title or video data",
    "bad_json": "a .json file that is not a JSON object (nor m.youtube.com's pbj array of response parts)",
    "too_deep": "the page nests deeper than the parser's recursion limit",
    "symlink_outside": "a symlink that points outside the raw folder; never followed",
    "unreadable": "the file could not be read (permissions, vanished during the run)",
    "orphan_sidecar": "a .meta.json sidecar with no raw page beside it",
    "internal_error": "a bug in pageclean; the page is kept as a reject so the batch completes",
    "duplicate": "the same bytes as a page already curated under another path; the detail names it",
}

# When a later run reads a rejected file again. A file that changes (a new size or modification
# time) is always read again. The reasons below have causes that can pass while the file stays the
# same; every other reason is decided by the file's bytes alone, so a later run skips the same file
# by its size and mtime. A file read again and rejected again for the same reason adds no row.
READ_AGAIN: dict[str, str] = {
    "unreadable": "every run: permissions get fixed, a vanished file comes back, a disk recovers",
    "too_large": "when --max-bytes is raised to the file's size",
    "internal_error": "when the pageclean version changes: the fix for the bug may parse it",
    "symlink_outside": "when the link is pointed inside the raw folder (it then lists as its target)",
    "orphan_sidecar": "when its page appears beside it (the sidecar is then read with the page)",
}
# The reasons a run reads again without the file changing (``runner.plan_run`` decides when).
RETRIED_UNCHANGED = frozenset({"unreadable", "too_large", "internal_error"})
