"""Stage 1: raw bytes -> text, with the encoding found and every repair recorded.

Order: refuse non-text (magic numbers, NUL-heavy bytes) -> BOM -> UTF-16 without BOM -> strict
UTF-8 -> UTF-8 with a few bad bytes -> a legacy code page chosen by charset-normalizer -> ftfy for
mojibake (UTF-8 read as windows-1251/1252 and saved again). ftfy is configured to repair encodings
only: curly quotes, full-width letters and ligatures are content and stay as written.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

import ftfy
from ftfy.badness import is_bad
from ftfy.chardata import CONTROL_CHARS

from pageclean.errors import RejectError

# Only encoding repairs: content (curly quotes, full-width CJK punctuation, ligatures) is kept.
# HTML entities are left alone too; the HTML parser unescapes them where they are markup.
CONTENT_SAFE_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    explain=True,
)

# File signatures of formats that are never a page: images, archives, PDFs, executables.
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image or WAV audio)"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x00\x00\x01\x00", "an ICO image"),
)

# A text page has almost no control characters; past this share of C0 controls (other than
# tab/CR/LF) the bytes are binary, whatever their extension says.
MAX_CONTROL_SHARE = 0.01
# UTF-8 with a handful of bad bytes (a truncated or spliced file) stays UTF-8 with U+FFFD;
# past this share of replaced bytes another encoding is more likely.
MAX_UTF8_ERROR_SHARE = 0.002
# Share of printable characters a UTF-16 reading must reach to be taken over an 8-bit one.
UTF16_MIN_PRINTABLE = 0.95
# Share of code units whose high byte is NUL or < 0x09 before the bytes are read as UTF-16 with
# no BOM: ~100% for Latin and Cyrillic text, most of a CJK page's markup and newlines; a few
# percent for UTF-8 text with NUL bytes in it.
UTF16_MIN_LOW_SHARE = 0.3
# How many bytes charset-normalizer looks at; enough to tell the Cyrillic code pages apart.
DETECT_SAMPLE_BYTES = 64 * 1024

# C0 controls other than tab, LF, VT, FF and CR, as bytes: counted with ``bytes.translate`` (one C
# pass; a regex over a page's first 64 KB costs ~10x more). In UTF-8 and in every 8-bit code page
# these characters are exactly these bytes, so counting the bytes counts the characters.
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x20))
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
# Bytes below 0x09: UTF-16 high bytes of Latin, Cyrillic and markup text; never in 8-bit text.
_NOT_LOW_BYTES = bytes(range(0x09, 256))
_C1 = re.compile("[\x80-\x9f]")
# Characters that one of the fixers CONTENT_SAFE_FTFY runs changes wherever they stand: the
# controls remove_control_chars strips (ESC, which starts a terminal escape, among them), C1
# controls (fix_c1_controls), line and paragraph separators (fix_line_breaks) and surrogates
# (fix_surrogates). Taken from ftfy's own table, so a new ftfy's list is followed.
_FTFY_TOUCHES = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in sorted(CONTROL_CHARS)) + "\x80-\x9f\u2028\u2029\ud800-\udfff]")
# The one pattern of ftfy's badness regex anchored to the start of its text ("^[ÃÂ] "): in lines
# joined with "\n" it must also be looked for at the start of every other line.
_BAD_LINE_START = re.compile("\n[ÃÂ] ")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str  # the encoding the bytes were read as: "utf-8", "utf-16-le", "windows-1251", ...
    repairs: list[str] = field(default_factory=list)  # what was fixed, in order; empty = nothing


def decode_bytes(data: bytes) -> Decoded:
    """Bytes -> text without mojibake repair (HTML/JSON pages repair fields later, see ``repair``).

    >>> decode_bytes("Трансляция закончилась 2 дня назад, 7 744 083 просмотра".encode("cp1251")).encoding
    'windows-1251'
    """
    if not data or data.isspace():  # strip() would copy a 1 MB page to learn the same
        raise RejectError("empty", "The file is empty or holds only whitespace.")
    for magic, what in MAGIC_NUMBERS:
        if data.startswith(magic):
            raise RejectError("binary", f"The bytes are {what}, not a saved page.")

    repairs: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            repairs.append(f"bom:{encoding}")
            return _checked(Decoded(text, encoding, repairs), data)

    utf16 = _sniff_utf16(data)
    if utf16:
        return _checked(Decoded(data.decode(utf16, errors="replace"), utf16, repairs), data)

    # Not UTF-16, so every byte below 0x20 is a control character in any encoding left to try:
    # refuse binary noise here rather than let a code-page guess fail on it as "undecodable".
    _refuse_controls(data[:DETECT_SAMPLE_BYTES])

    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8", repairs), data)
    except UnicodeDecodeError:
        pass

    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    has_multibyte = any(ord(c) > 0x7F and c != "\ufffd" for c in text[:DETECT_SAMPLE_BYTES])
    if has_multibyte and bad <= max(1, len(data) * MAX_UTF8_ERROR_SHARE):
        repairs.append(f"utf-8:{bad} invalid byte(s) replaced with U+FFFD")
        return _checked(Decoded(text, "utf-8", repairs), data)

    encoding = _guess_legacy(data)
    if encoding is None:
        raise RejectError(
            "undecodable", "No text encoding fits the bytes (not UTF-8, UTF-16 or a known code page)."
        )
    repairs.append(f"codepage:{encoding}")
    return _checked(Decoded(data.decode(encoding, errors="replace"), encoding, repairs), data)


def repair(text: str) -> tuple[str, list[str]]:
    """Fix mojibake with ftfy, line by line as ``ftfy.fix_text`` does, and say what was done.

    Lines of pure ASCII cannot hold mojibake and skip ftfy: on a page of English comments with a
    Cyrillic UI that is most of the text, and ftfy's badness scan costs ~0.2 µs a character.

    >>> repair("Р РµС‚ Т›Р°СЂР°Р»РґС‹")
    ('Рет қаралды', ['ftfy:encode sloppy-windows-1251', 'ftfy:transcode restore_byte_a0', 'ftfy:decode utf-8'])
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii() and "\x1b" not in text:
        return text, []
    lines = text.split("\n")
    if _ftfy_leaves_alone("\n".join(line for line in lines if not line.isascii() or "\x1b" in line)):
        return text, []
    done: list[str] = []
    plans: list[list[tuple[str, str]]] = []
    untouched: list[int] = []
    # A page repeats lines ("@handle 3 жыл бұрын" under each of a user's comments): ftfy is a pure
    # function of the line, so each distinct line is fixed once (a fifth of the founding example's).
    known: dict[str, tuple[str, list]] = {}
    for i, line in enumerate(lines):
        if line.isascii() and "\x1b" not in line:
            continue
        if line in known:
            fixed, steps = known[line]
        else:
            fixed, steps = known[line] = ftfy.fix_and_explain(line, CONTENT_SAFE_FTFY)
        if fixed == line:
            untouched.append(i)
        lines[i] = fixed
        transcode = [s for s in steps or [] if s[0] in ("encode", "decode", "transcode")]
        if transcode and transcode not in plans:
            plans.append(transcode)
        for action, arg in steps or []:
            step = f"ftfy:{action} {arg}"
            if step not in done:
                done.append(step)
    # A page is saved in one encoding: a short line ("JГјrgen") gives ftfy too little evidence
    # alone, but the plan that repaired the rest of the page applies to it if it decodes cleanly.
    for i in untouched:
        for plan in plans:
            try:
                fixed = ftfy.apply_plan(lines[i], plan)
            except (UnicodeError, ValueError):
                continue
            # A plan that yields C1 controls ("Â…" -> U+0085) guessed wrong for this line; ftfy
            # itself never produces them, and a second repair would change the line again.
            if fixed != lines[i] and not _C1.search(fixed):
                lines[i] = fixed
                break
    return "\n".join(lines), done


def _ftfy_leaves_alone(lines: str) -> bool:
    """True only if ``ftfy.fix_and_explain(line, CONTENT_SAFE_FTFY)`` returns every line of
    ``lines`` unchanged, proven in one pass over them all instead of ~50 calls of ftfy a page.

    Each enabled fixer leaves a line alone when: fix_encoding, if ftfy's badness regex finds nothing
    (a match inside a line is a match in the joined text, its one anchored pattern aside, see
    ``_BAD_LINE_START``); the others, if no character of ``_FTFY_TOUCHES`` is there; NFC, if the
    text is normalized (nothing composes across a newline). False means "may change": the caller
    runs ftfy line by line. ``tests/test_decode.py`` holds this against ftfy itself.
    """
    return not (_FTFY_TOUCHES.search(lines) or is_bad(lines) or _BAD_LINE_START.search(lines)) \
        and unicodedata.is_normalized("NFC", lines)


def decode_and_repair(data: bytes) -> Decoded:
    """Bytes -> repaired text: ``decode_bytes`` then ``repair`` on the whole text (text dumps)."""
    decoded = decode_bytes(data)
    decoded.text, steps = repair(decoded.text)
    decoded.repairs.extend(steps)
    return decoded


def _checked(decoded: Decoded, data: bytes) -> Decoded:
    text = decoded.text
    sample = text[:DETECT_SAMPLE_BYTES]
    _refuse_controls(sample.encode("utf-8", "surrogatepass"), len(sample))
    # A NUL character comes from a NUL byte in every encoding but UTF-16/32, and bytes search it
    # ~10x faster than a 1 MB str whose characters are 2 or 4 bytes wide.
    wide = decoded.encoding.startswith(("utf-16", "utf-32"))
    if (wide or b"\x00" in data) and "\x00" in text:
        decoded.text = text.replace("\x00", "")
        decoded.repairs.append("removed NUL characters")
    if not decoded.text or decoded.text.isspace():
        raise RejectError("empty", "The file holds no visible text.")
    return decoded


def _refuse_controls(sample: bytes, characters: int | None = None) -> None:
    """Reject as binary past ``MAX_CONTROL_SHARE`` of control characters in ``characters``
    characters (by default one per byte, as in an 8-bit reading of the bytes)."""
    characters = len(sample) if characters is None else characters
    controls = len(sample.translate(None, _NOT_CONTROL_BYTES))
    if characters and controls / characters > MAX_CONTROL_SHARE:
        raise RejectError(
            "binary",
            f"The bytes are not text: {controls} control characters in the first "
            f"{characters} characters (NUL bytes or a binary file).",
        )


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: 8-bit text never holds NUL or low control bytes, UTF-16 text does
    (NUL high bytes for Latin, 0x04 for Cyrillic...). Try both byte orders; keep the one that
    reads as printable text."""
    sample = data[:4096]
    if len(sample) < 4 or not sample.translate(None, _NOT_LOW_BYTES):
        return None
    sample = sample[: len(sample) // 2 * 2]
    # UTF-16 puts its NUL/low high bytes on one side of every code unit, and for the Latin,
    # Cyrillic and markup text of a page on most of them; UTF-8 text with stray NULs has a few
    # anywhere. Without this, "title\x00..." would read as a line of CJK ideographs.
    low_even = sum(1 for b in sample[0::2] if b < 0x09)
    low_odd = sum(1 for b in sample[1::2] if b < 0x09)
    if max(low_even, low_odd) < UTF16_MIN_LOW_SHARE * (len(sample) // 2):
        return None
    best, best_share = None, UTF16_MIN_PRINTABLE
    for encoding in ("utf-16-le", "utf-16-be"):
        text = sample.decode(encoding, errors="replace")
        printable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
        share = printable / len(text)
        if share > best_share:
            best, best_share = encoding, share
    return best


def _guess_legacy(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # imported lazily: only legacy pages pay for it

    best = from_bytes(data[:DETECT_SAMPLE_BYTES]).best()
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name  # canonical: "cp1251" -> "cp1251"
    return _PRETTY.get(name, name)


_PRETTY = {"cp1251": "windows-1251", "cp1252": "windows-1252", "cp1250": "windows-1250",
           "cp1253": "windows-1253", "cp1254": "windows-1254", "cp1255": "windows-1255",
           "cp1256": "windows-1256", "cp1257": "windows-1257", "cp866": "cp866"}
