"""Comment blocks of text dumps: a number is a like count and a line a button only where the layout
puts them (the button row under every comment, or right before a replies toggle); in doubt, text.

The dumps are built in the founding example's layout (tests/fixtures/text/000_bc69be185f79b3dd.txt)
with strings YouTube's UI prints: "Reply", "3 replies", "Thanks" (the Super Thanks button) in
English, "Ответить"/"Спасибо" in Russian.
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


RU_HEADER = ["Лекция", "7 744 083 просмотра", "Канал", "Канал", "Год назад", "Описание."]
RU = {"header": RU_HEADER, "count": "Комментарии: {n}", "age": "Год назад"}


@pytest.mark.parametrize(("thanks", "layout"), [("Thanks", {}), ("Спасибо", RU)], ids=["en", "ru"])
def test_last_line_equal_to_a_button_label_is_kept(thanks, layout):
    """"Thanks" ending a comment is text: no other comment shows a button row there."""
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


def test_russian_button_row():
    """The same layout in Russian: "Ответить" is the button row, "Спасибо" above it is text."""
    page = parse_textdump(_dump(
        [("@a", ["Отлично", "Спасибо", "12", "Ответить"]), ("@b", ["Какой год?", "2024", "Ответить"])],
        sidebar=False, **RU,
    ))
    assert page.ui_language == "ru"
    assert [(c.text, c.like_count) for c in page.comments] == [("Отлично\nСпасибо", 12), ("Какой год?", 2024)]
