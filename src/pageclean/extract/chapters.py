"""Chapters from a description's timestamp lines, as careful as yt-dlp and YouTube itself.

Rules (yt-dlp ``_extract_chapters_from_description`` / ``_extract_chapters_helper`` and YouTube's
own chapter requirements are the reference; facts only, no code taken):

- a chapter line carries one timestamp at its start (``00:00 Intro``, ``1:02:03 - Title``,
  ``[12:30] Title``) or at its end in brackets or after a separator (``Title [00:12:07]``,
  ``Title (12:07)``, ``Title - 12:07``); a time in the middle of a sentence is not a chapter;
- a bare time followed only by a note in brackets (``Suite-Pee 4:26  (Incomplete)``) is a chapter
  titled with its note (``Suite-Pee (Incomplete)``), as youtube-dl counts it (ytdl-org/youtube-dl
  @ 67299f23d8b1894120e875edf97440de87e22308 : test/test_youtube_chapters.py, "pattern: <title>
  00:00 <note>"); it is a bare trailing time, so it counts only among lines of that style;
- starts must increase: a line that goes back in time is dropped with a warning (YouTube drops
  such lists entirely; keeping the increasing run loses less);
- one timestamp line alone is not a chapter list (``MIN_CHAPTERS``);
- ``end_seconds`` is the next chapter's start; the last one ends at the video's duration when
  known, else null.
"""

from __future__ import annotations

import itertools
import re

from pageclean.model import Chapter

# YouTube shows chapters only when there are at least three; a description with two timestamp
# lines is still most likely a chapter list, one is a mention.
MIN_CHAPTERS = 2
# A clock time past this many seconds (1,000 hours) is not a chapter start or a duration badge;
# without a bound "99999999999999999999:00" would overflow the int64 seconds columns.
MAX_TIMESTAMP_SECONDS = 1000 * 3600

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}"
_SEP = r"[\s\-–—:|•·.)\]]*"
# "00:00 Title", "[00:00] Title", "(0:00) - Title", "1. 00:00 Title" is not matched on purpose.
_LEADING = re.compile(rf"^\s*[\[(]?(?P<ts>{_TS})[\])]?(?:\s*[-–—:|•·]\s*|\s+)(?P<title>\S.*?)\s*$")
# "Title [00:00:00]", "Title (12:07)", "Title - 12:07", "Title | 12:07", "Title 12:07"
_TRAILING = re.compile(
    rf"^\s*(?P<title>\S.*?)\s*(?:[\[(](?P<ts1>{_TS})[\])]|[-–—|•]\s*(?P<ts2>{_TS})|\s(?P<ts3>{_TS}))\s*$"
)
# "Title 4:26 (note)": a bare time, then nothing but a note in round or square brackets.
_TRAILING_NOTE = re.compile(rf"^\s*(?P<title>\S.*?)\s+(?P<ts>{_TS})\s*(?P<note>\([^()]*\)|\[[^\[\]]*\])\s*$")
# A bare trailing time ("Intro 0:00") is also how people end a sentence ("loved the part at
# 3:10"), so such lines only count when most chapter lines of the description share one style.


def parse_timestamp(text: str) -> int | None:
    """``"1:02:03"`` -> 3723; ``"12:07"`` -> 727; invalid minutes or seconds -> None.

    >>> parse_timestamp("01:31:13"), parse_timestamp("8:25"), parse_timestamp("1:75")
    (5473, 505, None)
    """
    parts = text.split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdecimal() and len(p) <= 7 for p in parts):
        return None
    nums = [int(p) for p in parts]
    if any(n >= 60 for n in nums[1:]):
        return None
    if len(nums) == 3 and nums[1] >= 60:
        return None
    seconds = 0
    for n in nums:
        seconds = seconds * 60 + n
    return seconds if seconds <= MAX_TIMESTAMP_SECONDS else None


def chapter_line(line: str) -> tuple[int, str, str] | None:
    """One description line -> (start_seconds, title, style) when it is a chapter line.

    >>> chapter_line("Kepler conjecture [00:17:30]")
    (1050, 'Kepler conjecture', 'trailing')
    >>> chapter_line("0:00 - Intro")
    (0, 'Intro', 'leading')
    >>> chapter_line("Attack 5:31 (First live performance since 2011)")
    (331, 'Attack (First live performance since 2011)', 'trailing-bare')
    >>> chapter_line("Does anyone know what is mentioned at 1:14:55 ?") is None
    True
    """
    note = ""
    m = _LEADING.match(line)
    if m:
        ts, title, style = m["ts"], m["title"], "leading"
    elif m := _TRAILING.match(line):
        ts, title = m["ts1"] or m["ts2"] or m["ts3"], m["title"]
        style = "trailing-bare" if m["ts3"] else "trailing"
    elif m := _TRAILING_NOTE.match(line):
        ts, title, note, style = m["ts"], m["title"], m["note"], "trailing-bare"
    else:
        return None
    title = title.strip(" \t-–—:|•·")
    if note and title:
        title = f"{title} {note}"
    start = parse_timestamp(ts)
    if start is None or not title or parse_timestamp(title) is not None:
        return None
    return start, title, style


def chapters_from_description(
    text: str | None, duration_seconds: int | None = None, warnings: list[str] | None = None
) -> list[Chapter]:
    """Every chapter line of a description, checked as a list.

    >>> [(c.start_seconds, c.title, c.end_seconds) for c in chapters_from_description(
    ...     "Intro (0:00)\\nsee 3:10 for more\\n[01:00] Middle\\n2:00 End")]
    [(0, 'Intro', 60), (60, 'Middle', 120), (120, 'End', None)]
    """
    if not text:
        return []
    # Most description lines hold no clock time at all; the ":" test spares them three regexes.
    hits = [hit for line in text.splitlines() if ":" in line and (hit := chapter_line(line))]
    if not hits:
        return []
    styles = [style for _, _, style in hits]
    dominant = max(set(styles), key=styles.count)
    found: list[Chapter] = []
    for start, title, style in hits:
        if style != dominant and "trailing-bare" in (style, dominant):
            continue  # a sentence ending in a time, among chapter lines of another style
        if duration_seconds is not None and start >= duration_seconds:
            if warnings is not None:
                warnings.append(f"chapter {title!r} starts at {start}s, past the video's end")
            continue
        if found and start <= found[-1].start_seconds:
            if warnings is not None:
                warnings.append(
                    f"chapter {title!r} at {start}s does not follow {found[-1].start_seconds}s; dropped"
                )
            continue
        found.append(Chapter(start_seconds=start, title=title))
    if len(found) < MIN_CHAPTERS:
        return []
    for this, nxt in itertools.pairwise(found):
        this.end_seconds = nxt.start_seconds
    found[-1].end_seconds = duration_seconds
    return found
