"""Chapters from descriptions: yt-dlp's rules or stricter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pageclean.extract.chapters import chapter_line, chapters_from_description, parse_timestamp


@pytest.mark.parametrize(
    ("line", "start", "title"),
    [
        ("Tim Introducton [00:00:00]", 0, "Tim Introducton"),
        ("00:00 Intro", 0, "Intro"),
        ("0:00 - Intro", 0, "Intro"),
        ("1:02:03 - Part three", 3723, "Part three"),
        ("[12:30] Questions", 750, "Questions"),
        ("(1:05) Setup", 65, "Setup"),
        ("Outro (59:59)", 3599, "Outro"),
        ("Demo | 12:07", 727, "Demo"),
        ("12:07 – Überblick", 727, "Überblick"),
        ("05:10 Введение", 310, "Введение"),
    ],
)
def test_chapter_line_forms(line, start, title):
    """Leading and trailing timestamp forms give start and title."""
    hit = chapter_line(line)
    assert hit is not None and hit[:2] == (start, title)


@pytest.mark.parametrize(
    "line",
    [
        "Does anyone know what is being mentioned at 1:14:55 ? It's connected to RNNs.",
        "we met at 10:30 and talked",
        "Ratio 16:9 is standard",
        "1:75 is not a time",
        "12:00",
        "Train ResNet to 94% in 26 Seconds",
    ],
)
def test_not_chapter_lines(line):
    """A time inside a sentence, an invalid time or a bare time is not a chapter line."""
    assert chapter_line(line) is None


def test_starts_must_increase():
    """A line that goes back in time is dropped, with a warning."""
    warnings: list[str] = []
    chapters = chapters_from_description("0:00 A\n5:00 B\n3:00 C\n9:00 D", warnings=warnings)
    assert [c.title for c in chapters] == ["A", "B", "D"]
    assert [c.end_seconds for c in chapters] == [300, 540, None]
    assert len(warnings) == 1 and "'C'" in warnings[0]


def test_single_timestamp_is_not_a_list():
    """One timestamp line is a mention, not chapters."""
    assert chapters_from_description("Best part:\n12:30 the proof") == []


def test_duration_closes_the_last_chapter_and_bounds_starts():
    """With the video's length known, the last chapter ends there and later starts are dropped."""
    chapters = chapters_from_description("0:00 A\n1:00 B\n9:00 Bonus", duration_seconds=300)
    assert [(c.title, c.end_seconds) for c in chapters] == [("A", 60), ("B", 300)]


def test_sentences_ending_in_a_time_do_not_join_a_bracketed_list():
    """'... at 3:10' lines are dropped when the chapter list uses another style."""
    text = "Intro [0:00]\nloved the part at 3:10\nMain [1:00]\nEnd [2:00]"
    assert [c.title for c in chapters_from_description(text)] == ["Intro", "Main", "End"]


def test_parse_timestamp():
    """h:mm:ss and m:ss in seconds; out-of-range parts are invalid."""
    assert parse_timestamp("01:31:13") == 5473
    assert parse_timestamp("8:25") == 505
    assert parse_timestamp("1:60") is None
    assert parse_timestamp("a:10") is None


YTDL_CASES = json.loads((Path(__file__).parent / "cases" / "chapters_youtube_dl.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", YTDL_CASES["cases"], ids=[c["pattern"] for c in YTDL_CASES["cases"]])
def test_youtube_dl_description_chapter_cases(case):
    """youtube-dl's own chapter cases (tests/cases/chapters_youtube_dl.json, expected values theirs)."""
    chapters = chapters_from_description(case["description"], case["duration"])
    got = [[c.start_seconds, c.end_seconds, " ".join(c.title.split())] for c in chapters]
    assert got == case["chapters"]


def test_description_chapters_say_where_they_came_from():
    """Chapters parsed from a description's text have source 'description'."""
    chapters = chapters_from_description("0:00 Intro\n1:00 Main")
    assert [c.source for c in chapters] == ["description", "description"]


@pytest.mark.parametrize(
    ("line", "start", "title"),
    [
        ("Suite-Pee 4:26  (Incomplete)", 266, "Suite-Pee (Incomplete)"),
        ("Attack 5:31 (First live performance since 2011)", 331, "Attack (First live performance since 2011)"),
        ("Интро 0:00 [live]", 0, "Интро [live]"),
    ],
)
def test_a_note_after_a_bare_time_joins_the_title(line, start, title):
    """'Title 4:26 (note)' is a chapter line titled 'Title (note)'."""
    assert chapter_line(line)[:2] == (start, title)


def test_a_time_with_a_note_inside_a_sentence_is_not_a_chapter():
    """Among leading-time chapter lines, a sentence ending in '10:30 (UTC)' is dropped; alone it is no list."""
    text = "0:00 Intro\nSee you tomorrow at 10:30 (UTC)\n1:00 Main\n2:00 End"
    assert [c.title for c in chapters_from_description(text)] == ["Intro", "Main", "End"]
    assert chapters_from_description("Live at 10:30 (UTC) on Friday\nwe met at 10:30 (roughly) and talked") == []
