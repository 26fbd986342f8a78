"""Identifiers: no spoofing with invisible characters; keyed pseudonyms that leak no handle."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pageclean.identity import Pseudonymizer, normalize_identifier
from pageclean.pipeline import PageMeta, process_page

NOW = datetime(2024, 5, 20, tzinfo=UTC)


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
