"""Decoding: BOMs, UTF-16, legacy code pages and mojibake become the same text, with each repair recorded."""

from __future__ import annotations

import codecs

import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-125x, to make real mojibake
import pytest

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
