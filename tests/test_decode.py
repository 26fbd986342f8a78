"""Decoding: BOMs, UTF-16, legacy code pages and mojibake become the same text, with each repair recorded."""

from __future__ import annotations

import codecs
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # registers sloppy-windows-125x, to make real mojibake
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pageclean import decode
from pageclean.decode import decode_and_repair, decode_bytes, repair
from pageclean.errors import RejectError

RU = "Трансляция закончилась 2 дня назад\n7 744 083 просмотра\nСпасибо за видео, очень интересно!\n"


def test_plain_utf8_is_untouched(founding_bytes):
    """Clean UTF-8 decodes with no repair recorded."""
    d = decode_and_repair(founding_bytes)
    assert d.encoding == "utf-8"
    assert d.repairs == []
    assert d.text == founding_bytes.decode("utf-8")


@pytest.mark.parametrize("bom_codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_bom_and_utf16(founding_bytes, bom_codec):
    """A BOM (or UTF-16/32) gives back exactly the original text."""
    text = founding_bytes.decode("utf-8")
    data = text.encode(bom_codec)
    if bom_codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode_and_repair(data).text == text


def test_utf16_without_bom():
    """UTF-16-LE with no BOM is recognised by its NUL pattern."""
    assert decode_bytes(RU.encode("utf-16-le")).text == RU
    assert decode_bytes(("Hello world, " * 20).encode("utf-16-le")).encoding == "utf-16-le"


@pytest.mark.parametrize("codepage", ["cp1251", "koi8_r"])
def test_legacy_cyrillic_code_pages(codepage):
    """A Russian page saved in windows-1251 or KOI8-R decodes to the right letters."""
    d = decode_and_repair((RU * 3).encode(codepage))
    assert d.text == RU * 3
    assert any(r.startswith("codepage:") for r in d.repairs)


def test_utf8_read_as_windows_1251_is_repaired(founding_bytes):
    """The founding example turned into mojibake (UTF-8 read as windows-1251) is repaired by ftfy."""
    text = founding_bytes.decode("utf-8")
    mojibake = text.encode("utf-8").decode("sloppy-windows-1251")
    assert "РµС‚ Т›Р°СЂР°Р»РґС‹ 10,936" in mojibake  # "Рет қаралды 10,936"
    d = decode_and_repair(mojibake.encode("utf-8"))
    assert d.text == text
    assert any("windows-1251" in r for r in d.repairs)


def test_utf8_read_as_windows_1252_is_repaired():
    """'JÃ¼rgen' (UTF-8 read as windows-1252) becomes 'Jürgen'."""
    fixed, steps = repair("JÃ¼rgen Schmidhuber [01:24:18]")
    assert fixed == "Jürgen Schmidhuber [01:24:18]"
    assert steps


def test_content_typography_is_kept():
    """Curly quotes, full-width forms and ligatures are content: ftfy must not 'fix' them."""
    text = "It’s “quoted” — ５０ ﬁne"
    assert repair(text) == (text, [])


def test_repair_is_idempotent(founding_bytes):
    """Repairing repaired text changes nothing."""
    once = decode_and_repair(founding_bytes.decode().encode("utf-8").decode("sloppy-windows-1251").encode()).text
    assert repair(once)[0] == once


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t \r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"\xff\xd8\xff\xe0" + bytes(200), "binary"),
        (b"%PDF-1.7\n...", "binary"),
        (bytes(range(1, 32)) * 50, "binary"),
    ],
)
def test_non_text_is_rejected(data, reason):
    """Empty files and binary files are rejects with a reason, not exceptions."""
    with pytest.raises(RejectError) as info:
        decode_bytes(data)
    assert info.value.reason == reason
    assert info.value.detail.endswith(".")


def test_a_few_bad_bytes_stay_utf8(founding_bytes):
    """A truncated UTF-8 sequence inside a UTF-8 page is replaced, not re-decoded as a code page."""
    data = founding_bytes[:5000] + b"\xd0" + founding_bytes[5000:]
    d = decode_bytes(data)
    assert d.encoding == "utf-8"
    assert "Рет қаралды" in d.text
    assert any("invalid byte" in r for r in d.repairs)


# --- issue 11: one pass proves that ftfy would change no line ----------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
REAL_PAGES = sorted(p for d in ("text", "html", "json") for p in (FIXTURES / d).iterdir())
SPOILS = {  # real text, and the same text turned into the mojibake scrapers save
    "as is": lambda t: t,
    "utf-8 read as windows-1251": lambda t: t.encode("utf-8").decode("sloppy-windows-1251"),
    "utf-8 read as windows-1252": lambda t: t.encode("utf-8").decode("sloppy-windows-1252"),
    "utf-8 read as latin-1": lambda t: t.encode("utf-8").decode("latin-1"),
}


def _suspect_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if not line.isascii() or "\x1b" in line]


@pytest.mark.parametrize("spoil", SPOILS)
@pytest.mark.parametrize("page", REAL_PAGES, ids=lambda p: p.name)
def test_one_pass_check_agrees_with_ftfy_on_real_pages(page, spoil, monkeypatch):
    """Where the one-pass check says ftfy leaves every line alone, ftfy does; and ``repair``
    gives the same text and steps with the check as without it (ftfy on each line)."""
    text = SPOILS[spoil](decode_bytes(page.read_bytes()).text.replace("\r", ""))
    lines = _suspect_lines(text)
    if decode._ftfy_leaves_alone("\n".join(lines)):
        assert all(ftfy.fix_and_explain(line, decode.CONTENT_SAFE_FTFY).text == line for line in lines)
    fast = repair(text)
    monkeypatch.setattr(decode, "_ftfy_leaves_alone", lambda _lines: False)
    assert fast == repair(text)


def test_one_pass_check_takes_clean_pages_and_leaves_spoiled_ones(founding_bytes):
    """The check is not vacuous: a clean real page passes it, its mojibake does not."""
    text = founding_bytes.decode("utf-8")
    assert decode._ftfy_leaves_alone("\n".join(_suspect_lines(text)))
    spoiled = SPOILS["utf-8 read as windows-1251"](text)
    assert not decode._ftfy_leaves_alone("\n".join(_suspect_lines(spoiled)))


# Characters ftfy treats specially (mojibake letters, C1 and other controls, separators, combining
# marks, NBSP, surrogates) among ordinary letters of several scripts.
_TRICKY = st.sampled_from(list(
    "aZ .,!?\u00a0\u00c3\u00c2\u00e2\u20ac\u0153\u00a9\u00ae\u00b0\u00d0\u00d8\u00d9\u0432\u0402\u0413\u0420"
    "\u0421\u00e9\u0301\u0308\u2028\u2029\x85\x9d\x1b[\x00\x07\u200b\ufeff\ufffc\u206a\ud83d\udca9\u2014\u201c"
    "\u00d7\u00b2\u221a\u00b1\u2248\u201a\u00c4\u03b2\u0394\u0101\u044f\u049b\u30c6\u4e2d\u0e01\u05d0"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(_TRICKY, max_size=12), min_size=1, max_size=6))
@example(["1", "\u00c3 x"])  # ftfy's one anchored badness pattern, at the start of a later line
@example(["Ya\u0301"])  # not NFC: ftfy composes it
def test_one_pass_check_never_passes_a_line_ftfy_would_change(lines):
    """Property: if the joined lines pass the check, ftfy changes none of them."""
    if decode._ftfy_leaves_alone("\n".join(lines)):
        for line in lines:
            assert ftfy.fix_and_explain(line, decode.CONTENT_SAFE_FTFY).text == line
