"""Identifiers: no spoofing with invisible characters; keyed pseudonyms that leak no handle."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import ftfy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pageclean.identity import Pseudonymizer, handle_key, mentions, normalize_identifier
from pageclean.pipeline import PageMeta, process_page

NOW = datetime(2024, 5, 20, tzinfo=UTC)
KEY = Pseudonymizer(b"s" * 32)


def string_values(rows: dict[str, list[dict]]):
    """(table, column, text) for every string in every column of every table, lists included.

    ``source_path`` is left out: it is the raw file's own name, which the user chose.
    """
    for table, table_rows in rows.items():
        for row in table_rows:
            for column, value in row.items():
                if column == "source_path":
                    continue
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str):
                        yield table, column, text


def leaks(rows: dict[str, list[dict]], handles) -> list[tuple[str, str, str]]:
    """Every place where one of ``handles`` survives after an "@", in any case."""
    wanted = {("@" + h).casefold() for h in handles}
    return [(t, c, text) for t, c, text in string_values(rows)
            if any(w in text.casefold() for w in wanted)]


@pytest.mark.parametrize(
    ("shown", "normalized"),
    [
        ("@daveman683", "@daveman683"),
        ("@dave\u200bman683", "@daveman683"),          # zero-width space
        ("\u202e@daveman683", "@daveman683"),          # right-to-left override
        ("@dave\u2066man\u2069683", "@daveman683"),    # isolates
        ("Machine\u00adLearning", "MachineLearning"),  # soft hyphen
        ("Ｍａｃｈｉｎｅ", "Machine"),                    # full-width look-alikes
    ],
)
def test_invisible_characters_do_not_spoof(shown, normalized):
    """Handles that look alike compare equal after normalization."""
    assert normalize_identifier(shown) == normalized


def test_pseudonyms_are_stable_keyed_and_case_insensitive():
    """Same handle, same key -> same pseudonym; another key -> another; YouTube handles ignore case."""
    a, b = Pseudonymizer(b"k" * 32), Pseudonymizer(b"x" * 32)
    assert a("@daveman683") == a("@DaveMan683") == a("@dave\u200bman683")
    assert a("@daveman683") != b("@daveman683")
    assert a("@daveman683").startswith("anon_") and "dave" not in a("@daveman683")
    with pytest.raises(ValueError):
        Pseudonymizer(b"short")


def test_pipeline_spoofed_channel_is_normalized_and_original_kept(founding_bytes):
    """A channel name with a zero-width space is stored normalized, with the original beside it."""
    data = founding_bytes.replace(b"Machine Learning Street Talk\n",
                                  "Machine Learning\u200b Street Talk\n".encode(), 2)
    video = process_page(data, PageMeta("p.txt", len(data), NOW, "mtime"), NOW).rows["videos"][0]
    assert video["channel"] == "Machine Learning Street Talk"
    assert video["channel_as_shown"] == "Machine Learning\u200b Street Talk"


def test_pseudonymized_page_holds_no_handle(founding_bytes):
    """With a key, no author handle of the page survives in any row; replies still link up."""
    pseudo = Pseudonymizer(b"s" * 32)
    rows = process_page(founding_bytes, PageMeta("p.txt", len(founding_bytes), NOW, "mtime"), NOW, pseudo).rows
    handles = {"@daveman683", "@things_leftunsaid", "@MachineLearningStreetTalk", "@hellofromc-1374"}
    dump = repr(rows)
    for handle in handles:
        assert handle not in dump
    reply = next(c for c in rows["comments"] if c["reply_to"])
    assert reply["reply_to"] == pseudo("@things_leftunsaid")
    assert {c["author"] for c in rows["comments"]} == {c["author_as_shown"] for c in rows["comments"]}
    assert pseudo("@daveman683") in {c["author"] for c in rows["comments"]}


# What is a mention, from YouTube's handle rules (3-30 letters of any script, digits, "_", "-", "."
# and "·"; see identity.py for the source) and from how e-mail addresses and URLs are written.
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Agree with @alice and @Alice", ["@alice", "@Alice"]),
        ("@@things_leftunsaid Yes.", ["@things_leftunsaid"]),           # a reply marker
        ("mail me at bob@example.com or first.last@mail.org", []),      # e-mail addresses
        ("thanks @dave.k.", ["@dave.k"]),                               # the period ends the sentence
        ("(@_tnk_) and @hellofromc-1374!", ["@_tnk_", "@hellofromc-1374"]),
        # too short is no handle; too long is a handle glued to more text: its first 30 characters
        ("@ab is too short, @" + "a" * 31 + " too long", ["@" + "a" * 30]),
        ("по-русски @Алиса_Б и на хинди @अभिषेक", ["@Алиса_Б", "@अभिषेक"]),
        ("@ali\u200bce hides a zero-width space", ["@ali\u200bce"]),
        ("youtube.com/@carol and youtube.com/%40carol", ["@carol", "@carol"]),
        ("meet @ 3pm, 50@ each", []),
    ],
)
def test_mentions_follow_youtube_handle_rules(text, found):
    """An @handle is a mention by YouTube's handle rules; e-mail addresses and bare "@"s are not."""
    from pageclean.identity import mentions

    assert [m.handle for m in mentions(text)] == found


def test_scrubbing_twice_changes_nothing():
    """A pseudonym is never taken for a handle, so scrubbing scrubbed text is a no-op."""
    once = KEY.scrub("hi @alice, @@bob")
    assert KEY.scrub(once) == once and "alice" not in once and "bob" not in once


ISSUE_DUMP = """Baking bread at home
10,936 views
Bread Channel
3 years ago
Recipe from @carol_bakes
example.com/bread

2 Comments
@bob
@bob 3 years ago
Agree with @alice and @Alice, recipe at example.com/bread
@Dave.K
@Dave.K 2 years ago
@@bob thanks @dave.k.
"""


def test_pseudonymized_page_keeps_no_mention_anywhere():
    """Issue 9 item 1: mentions in link labels, comments and the description, in any case, become the
    author column's pseudonym; a handle mentioned but never commenting is pseudonymized too."""
    data = ISSUE_DUMP.encode()
    rows = process_page(data, PageMeta("p.txt", len(data), NOW, "mtime"), NOW, KEY).rows
    assert "rejects" not in rows
    assert leaks(rows, ["alice", "bob", "dave.k", "carol_bakes"]) == []
    comment_link = next(lk for lk in rows["links"] if lk["origin"] == "comment")
    assert comment_link["label"] == f"Agree with {KEY('@alice')} and {KEY('@alice')}, recipe at"
    bob, dave = rows["comments"]
    assert bob["author"] == KEY("@bob") and KEY("@alice") in bob["text"]
    assert dave["reply_to"] == bob["author"]
    assert dave["text"] == f"thanks {dave['author']}."  # the mention joins to its author, whatever the case
    assert KEY("@carol_bakes") in rows["videos"][0]["description"]


# --- property: random handles, in every place a page can hold them, never survive -----------------

FOUNDING_LINES = (Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt").read_text(
    encoding="utf-8").split("\n")
JSON_FIXTURES = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(
    (Path(__file__).parent / "fixtures" / "json").glob("comments-*.json"))] + [
    json.loads((Path(__file__).parent / "fixtures" / "json" / "next-ru-lockup.json").read_text(encoding="utf-8"))]
AUTHOR_LINE = re.compile(r"^@(\S+)(.*)$")
RELATED_START = FOUNDING_LINES.index("#55 Dr. ISHAN MISRA - Self-Supervised Vision Models")
COMMENTS_HEADER = next(i for i, line in enumerate(FOUNDING_LINES) if line.startswith("Пікірлер"))

def _stable(text: str) -> bool:
    """Unicode normalization and ftfy leave it as it is ("ÂŸ" looks like mojibake to ftfy)."""
    return unicodedata.normalize("NFKC", text) == text == ftfy.fix_text(text)


# Handles by YouTube's rules: 3-30 letters of any script, digits and the separators. Characters that
# Unicode normalization or ftfy would rewrite are left out, so the handle on the page is the one drawn.
_handle_chars = st.characters(categories=("Lu", "Ll", "Lo", "Nd", "Mn", "Mc")) | st.sampled_from("_-.·")
handles = st.text(_handle_chars, min_size=3, max_size=30).filter(
    lambda h: _stable(h) and h[0].isalnum() and not unicodedata.category(h[0]).startswith("M")
    and sum(not unicodedata.category(c).startswith("M") for c in h) >= 3
    and not h.casefold().startswith("ano"))  # "@ano" is inside every "@anon_…" a reply marker leaves


def _variant(rnd, handle: str) -> str:
    """The handle in one of the cases a person might type it. Case changes that change the length
    ("ß".upper() is "SS": no longer a handle at 31 characters) or that ftfy would repair are left out."""
    cased = [v for v in (handle.lower(), handle.upper(), handle.title()) if len(v) == len(handle) and _stable(v)]
    return rnd.choice([handle, *cased])


@st.composite
def dumps_with_handles(draw: st.DrawFn) -> tuple[bytes, set[str], set[str]]:
    """The founding dump with its authors swapped for random handles and mentions of random handles
    (commenters and people who never commented) in the title, description, link labels, link URLs,
    reply markers, comment texts and related titles and channels."""
    rnd = draw(st.randoms(use_true_random=False))
    pool = draw(st.lists(handles, min_size=3, max_size=8, unique_by=str.casefold))
    placed: set[str] = set()

    def mention() -> str:
        handle = rnd.choice(pool)
        placed.add(handle)
        return "@" + _variant(rnd, handle)

    authors: dict[str, str] = {}
    lines: list[str] = []
    after_author = False
    for i, line in enumerate(FOUNDING_LINES):
        m = AUTHOR_LINE.match(line)
        if m and m[1].startswith("@"):  # a reply marker "@@handle text"
            line = "@" + mention() + " " + line.split(" ", 1)[1]
        elif m and i > COMMENTS_HEADER and i < RELATED_START:
            authors.setdefault(m[1], mention()[1:])
            line = "@" + authors[m[1]] + m[2]
            after_author = bool(m[2])
            lines.append(line)
            continue
        elif i == 0 or after_author or (8 < i < COMMENTS_HEADER and line and rnd.random() < 0.3):
            line = f"{line} {mention()}" if rnd.random() < 0.5 else f"{mention()} {line}"
        elif i >= RELATED_START and rnd.random() < 0.2:
            line = f"{line} ({mention()})"
        if i == 10:  # a reference line naming someone above a link, and a link to a channel
            lines += [f"Recipe by {mention()}", "example.com/bread", f"youtube.com/{mention()}/videos"]
        after_author = False
        lines.append(line)
    return "\n".join(lines).encode(), placed, {"@" + a for a in authors.values()}


def _with_handles(rnd, node, pool):
    """A JSON document with an @handle in or instead of every string (ids included)."""
    if isinstance(node, dict):
        return {k: _with_handles(rnd, v, pool) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_handles(rnd, v, pool) for v in node]
    if isinstance(node, str):
        handle = "@" + _variant(rnd, rnd.choice(pool))
        # Where a page has a mention, a space or the start of the text comes before its "@"
        # (an "@" glued after a letter is an e-mail address; see test_mentions_follow_youtube_handle_rules).
        return handle if node.startswith("@") else rnd.choice([f"{node} {handle}", f" {handle}: {node}", node])
    return node


@st.composite
def json_with_handles(draw: st.DrawFn) -> tuple[bytes, set[str]]:
    rnd = draw(st.randoms(use_true_random=False))
    pool = draw(st.lists(handles, min_size=2, max_size=6, unique_by=str.casefold))
    page = _with_handles(rnd, draw(st.sampled_from(JSON_FIXTURES)), pool)
    return json.dumps(page, ensure_ascii=rnd.random() < 0.5).encode(), set(pool)


def _pseudonymized(name: str, data: bytes) -> dict[str, list[dict]]:
    return process_page(data, PageMeta(name, len(data), NOW, "mtime"), NOW, KEY).rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dumps_with_handles())
def test_no_handle_survives_in_a_text_dump(case):
    """Random handles in every place of a dump: none survives in any string column of any table, and
    every author and every mention of an author is that author's pseudonym."""
    data, placed, authors = case
    rows = _pseudonymized("page.txt", data)
    assert leaks(rows, placed) == []
    shown = {c["author"] for c in rows.get("comments", [])}
    assert shown <= {KEY(h) for h in authors}
    texts = [text for _, _, text in string_values(rows)]
    for handle in placed:  # each handle's pseudonym stands where it was
        assert any(KEY("@" + handle) in text for text in texts), handle


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_with_handles())
def test_no_handle_survives_in_innertube_json(case):
    """Random handles in or instead of every string of real-shaped InnerTube responses: none survives."""
    data, pool = case
    assert leaks(_pseudonymized("page.json", data), pool) == []


def test_a_mention_glued_to_the_next_run_is_still_pseudonymized():
    """InnerTube runs are joined as shown: "@alice" then a "0:39" link reads "@alice0:39", longer
    than any handle. A known author at its start is that author; a stranger's first 30 characters
    are taken as the handle (privacy first). Found by the Hypothesis property below."""
    thirty = "0" * 30
    known = frozenset({handle_key("@" + thirty)})
    assert [m.handle for m in mentions(f"Great @{thirty}0:39 part", known)] == ["@" + thirty]
    long_run = "bob_the_builder_0123456789_extra_long_tail"
    assert [m.handle for m in mentions(f"hi @{long_run} ok")] == ["@" + long_run[:30]]
