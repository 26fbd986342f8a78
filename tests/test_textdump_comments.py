"""Comment blocks of text dumps: a number is a like count and a line a button only where the layout
puts them (the button row under every comment, or right before a replies toggle); in doubt, text.

The dumps are built in the founding example's layout (tests/fixtures/text/000_bc69be185f79b3dd.txt)
with strings YouTube's UI prints: "Reply", "3 replies", "Thanks" (the Super Thanks button) in
English; in Turkish "447 görüntüleme" (TeamPiped/rustypipe testfiles/dict/large_number_samples.json),
"1 yıl önce" (NewPipeExtractor timeago-parser/raw), "2.423 Yorum", "Yanıtla" (Reply) and "Paylaş"
(Share) from a real tr-TR watch page saved by tracking-exposed/trex @
839025015a1722418eb043c564c7f8c8a964a041 : platforms/yttrex/backend/__tests__/fixtures/video/
4c7949c549cf1b56e38d79292c0d4df069fd9b66.json.
"""

from __future__ import annotations

import pytest

from pageclean.formats.textdump import parse_textdump

HEADER = ["Talk title", "10,936 views", "Chan", "Chan", "3 years ago", "A description."]
SIDEBAR = ["Next talk", "1:36:22", "Chan", "22K views"]


def _dump(comments: list[tuple[str, list[str]]], *, sidebar: bool = True, header: list[str] = HEADER,
          count: str = "{n} Comments", age: str = "1 year ago") -> str:
    lines = [*header, count.format(n=len(comments))]
    for handle, body in comments:
        lines += [handle, f"{handle} {age}", *body]
    return "\n".join(lines + (SIDEBAR if sidebar else []))


@pytest.mark.parametrize("sidebar", [True, False], ids=["sidebar", "end-of-dump"])
@pytest.mark.parametrize("where", [0, 1, 2], ids=["first", "middle", "last"])
@pytest.mark.parametrize("body", [
    ["What year is it?", "2024"],
    ["Best part:", "1:14:55"],
    ["Agreed with everything", "1.2K"],
], ids=["year", "timestamp", "compact"])
def test_trailing_number_stays_text_without_a_button_row(body, where, sidebar):
    """A number ending a comment is its text when no button row proves a like counter there."""
    comments = [("@a", ["first"]), ("@b", ["second"]), ("@c", ["third"])]
    comments[where] = ("@x", body)
    page = parse_textdump(_dump(comments, sidebar=sidebar))
    assert [c.text for c in page.comments][where] == "\n".join(body)
    assert [c.like_count for c in page.comments] == [None, None, None]
    if sidebar:
        assert [r.title for r in page.related] == ["Next talk"]


def test_like_count_where_the_reply_button_follows():
    """Newer dumps show "12" / "Reply" under each comment: the number before the button is the count."""
    page = parse_textdump(_dump([
        ("@a", ["What year is it?", "2024", "Reply"]),
        ("@b", ["Best part:", "1:14:55", "Reply"]),
        ("@c", ["Nice", "1.2K", "Reply", "3 replies"]),
        ("@d", ["2024", "Reply"]),
    ]))
    assert [(c.text, c.like_count, c.reply_count) for c in page.comments] == [
        ("What year is it?", 2024, None),
        ("Best part:\n1:14:55", None, None),  # a time is never a like count
        ("Nice", 1200, 3),
        ("2024", None, None),  # a comment keeps its only line
    ]
    assert page.warnings == []


def test_one_comment_with_a_replies_toggle_proves_its_button():
    """A single comment: the line right before the replies toggle is the reply button."""
    page = parse_textdump(_dump([("@a", ["Great", "12", "Reply", "2 replies"])]))
    [comment] = page.comments
    assert (comment.text, comment.like_count, comment.reply_count) == ("Great", 12, 2)


TR_HEADER = ["Ders", "447 görüntüleme", "Kanal", "Kanal", "1 yıl önce", "Açıklama."]
TR = {"header": TR_HEADER, "count": "{n} Yorum", "age": "1 yıl önce"}


@pytest.mark.parametrize(("thanks", "layout"), [("Thanks", {}), ("Paylaş", TR)], ids=["en", "tr"])
def test_last_line_equal_to_a_button_label_is_kept(thanks, layout):
    """"Thanks" ("Paylaş") ending a comment is text: no other comment shows a button row there."""
    page = parse_textdump(_dump([("@a", ["Great video", thanks]), ("@b", ["Agreed"]), ("@c", ["Me too"])],
                                **layout))
    assert [c.text for c in page.comments] == [f"Great video\n{thanks}", "Agreed", "Me too"]
    assert any("comment 0 ends with a line that is also a button label" in w for w in page.warnings)
    assert not any("@" in w for w in page.warnings)


def test_thanks_kept_above_the_button_row():
    """With a button row under every comment, a "Thanks" above it is text and only the button goes."""
    page = parse_textdump(_dump([("@a", ["Great video", "Thanks", "Reply"]), ("@b", ["Thanks", "Reply"])]))
    assert [c.text for c in page.comments] == ["Great video\nThanks", "Thanks"]
    assert page.warnings == []


def test_turkish_button_row():
    """The same layout in Turkish: "Yanıtla" is the button row, "Paylaş" above it is text."""
    page = parse_textdump(_dump(
        [("@a", ["Harika", "Paylaş", "12", "Yanıtla"]), ("@b", ["Hangi yıl?", "2024", "Yanıtla"])],
        sidebar=False, **TR,
    ))
    assert page.ui_language == "tr"
    assert page.comment_count == 2
    assert [(c.text, c.like_count) for c in page.comments] == [("Harika\nPaylaş", 12), ("Hangi yıl?", 2024)]


# A Polish page: "447 wyświetleń" (TeamPiped/rustypipe testfiles/dict/large_number_samples.json),
# "1 rok temu" (NewPipeExtractor timeago-parser/raw). No record of YouTube's Polish comments header
# or comment buttons was found: "12 komentarzy", "Sortuj według" and "Dodaj komentarz…" stand in
# for them as once recalled, lines no catalog reads.
PL_HEADER = ["Wykład", "447 wyświetleń", "Kanał", "Kanał", "1 rok temu", "Opis wykładu.", "Część 2"]
PL = {"header": PL_HEADER, "age": "1 rok temu"}


def test_unread_comments_header_stays_out_of_the_description():
    """A header no catalog reads, and the buttons between it and the first comment, are found by
    their place: kept out of the description, the count left null, a warning naming them."""
    page = parse_textdump(_dump([("@a", ["Dzięki"]), ("@b", ["Super"])], sidebar=False,
                                count="{n} komentarzy\nSortuj według\nDodaj komentarz…", **PL))
    assert page.ui_language == "pl"
    assert page.description == "Opis wykładu.\nCzęść 2"
    assert page.comment_count is None
    assert page.comments_text == "2 komentarzy"
    [warning] = [w for w in page.warnings if w.startswith("comments header")]
    assert "'2 komentarzy' not recognised" in warning
    assert "'Sortuj według', 'Dodaj komentarz…'" in warning
    assert [c.text for c in page.comments] == ["Dzięki", "Super"]


@pytest.mark.parametrize("last", ["Część 2", "Część 2 z 3", "Zobacz: example.org/2", "2024"],
                         ids=["fewer-than-shown", "two-numbers", "link", "no-word"])
def test_description_line_before_the_comments_is_not_taken_for_a_header(last):
    """Without a header line, the description's last line stays text: a count smaller than the
    comments shown, two numbers, a link or a number without a word is no comments header."""
    comments = [("@a", ["Dzięki"]), ("@b", ["Super"]), ("@c", ["Ok"])]
    page = parse_textdump(_dump(comments, sidebar=False, count=last, header=PL_HEADER[:-1], age="1 rok temu"))
    assert page.description == f"Opis wykładu.\n{last}"
    assert page.comment_count is None
    assert not any(w.startswith("comments header") for w in page.warnings)


def _founding_with_header(header: str) -> str:
    from pathlib import Path

    founding = Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"
    return founding.read_text(encoding="utf-8").replace("Пікірлер: 37", header)


def test_unread_comments_header_found_by_its_place():
    """A comments header no catalog reads (here an invented one in the founding example) is the
    short count line right before the first comment: it stays out of the description, the count
    stays null and a warning names it; the comments parse as before."""
    kazakh = parse_textdump(_founding_with_header("Пікірлер: 37"))
    page = parse_textdump(_founding_with_header("37 zorbs"))
    assert page.description == kazakh.description
    assert page.comment_count is None
    assert any(w.startswith("comments header '37 zorbs' not recognised") for w in page.warnings)
    assert len(page.comments) == len(kazakh.comments) == 37
