"""Pull the JSON objects a YouTube page assigns to JS variables out of its ``<script>`` text.

Page content is data, never code: the value is located by string search, decoded with
``json.JSONDecoder.raw_decode`` (or a brace scanner that respects string literals), and a JS
string literal is unescaped by rule. Nothing is evaluated and no greedy regex spans the object.
"""

from __future__ import annotations

import json
import re

from pageclean.formats import selectors as sel

_DECODER = json.JSONDecoder()
_WS = " \t\r\n"
# One JS escape sequence: \xNN, \uNNNN, \u{N...}, a line continuation, or any single character.
_JS_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|u\{[0-9A-Fa-f]{1,6}\}|\r\n|.)", re.S)
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "0": "\0",
    "\n": "",
    "\r\n": "",
    "\u2028": "",
    "\u2029": "",
}
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.I)


def find_assigned_object(text: str, name: str) -> dict | None:
    """The JSON object assigned to JS variable ``name`` (``var``/``window[...]``/string forms).

    Tries every occurrence of the name and returns the first that is an assignment of an object
    literal or of a string literal holding JSON; ``var x = window.x`` style aliases are skipped.
    """
    start = 0
    while (at := text.find(name, start)) != -1:
        start = at + len(name)
        if not _is_assignment_target(text, at):
            continue
        value_at = _value_start(text, at + len(name))
        if value_at is None:
            continue
        found = _decode_value(text, value_at)
        if isinstance(found, dict):
            return found
    return None


def _is_assignment_target(text: str, at: int) -> bool:
    before = text[max(0, at - 8) : at]
    return before.endswith(sel.ASSIGNMENT_PREFIXES) or at == 0


def _value_start(text: str, pos: int) -> int | None:
    """Index of the value after ``name`` when what follows is ``"]``/``']`` then ``=``."""
    n = len(text)
    if pos < n and text[pos] in "\"'":
        pos += 1
        if pos >= n or text[pos] != "]":
            return None
        pos += 1
    while pos < n and text[pos] in _WS:
        pos += 1
    if pos >= n or text[pos] != "=" or text.startswith("==", pos):
        return None
    pos += 1
    while pos < n and text[pos] in _WS:
        pos += 1
    if pos < n and text[pos] in "{'\"":
        return pos
    return None


def _decode_value(text: str, pos: int) -> object | None:
    if text[pos] == "{":
        try:
            return _DECODER.raw_decode(text, pos)[0]
        except (ValueError, RecursionError):
            end = scan_object_end(text, pos)
            if end is None:
                return None
            return _loads_js_object(text[pos:end])
    end = scan_string_end(text, pos)
    if end is None:
        return None
    try:
        return json.loads(decode_js_string(text[pos + 1 : end - 1]))
    except (ValueError, RecursionError):  # nesting deeper than json's recursion limit
        return None


def _loads_js_object(body: str) -> object | None:
    """Last resort for an object literal JSON rejects: JS ``\\xNN`` escapes inside its strings."""
    try:
        return json.loads(re.sub(r"\\x([0-9A-Fa-f]{2})", r"\\u00\1", body))
    except (ValueError, RecursionError):  # nesting deeper than json's recursion limit
        return None


def scan_string_end(text: str, pos: int) -> int | None:
    """Index just past the JS string literal whose opening quote is at ``pos``."""
    quote = text[pos]
    i = pos + 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == quote:
            return i + 1
        if c == "\n":
            return None  # an unterminated literal; JS forbids raw newlines in quotes
        i += 1
    return None


def scan_object_end(text: str, pos: int) -> int | None:
    """Index just past the ``{...}`` starting at ``pos``; braces inside strings do not count."""
    depth = 0
    i = pos
    n = len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            end = scan_string_end(text, i)
            if end is None:
                return None
            i = end
            continue
        if c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def decode_js_string(body: str) -> str:
    """Unescape the inside of a JS string literal (``\\xNN``, ``\\uNNNN``, ``\\\\``, quotes...)."""
    if "\\" not in body:
        return body
    decoded = _JS_ESCAPE.sub(_unescape, body)
    if any("\ud800" <= c <= "\udfff" for c in decoded):
        # \uD83D\uDE00 pairs came out as two surrogates; join them into one code point.
        decoded = decoded.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return decoded


def _unescape(match: re.Match[str]) -> str:
    esc = match.group(1)
    if esc[0] == "x" and len(esc) == 3:
        return chr(int(esc[1:], 16))
    if esc[0] == "u" and len(esc) > 1:
        digits = esc[2:-1] if esc[1] == "{" else esc[1:]
        return chr(int(digits, 16))
    return _SIMPLE_ESCAPES.get(esc, esc)


def ytcfg_language(text: str) -> tuple[str, str] | None:
    """The ``hl`` code the page's ytcfg carries, with the key it came from."""
    for key in sel.YTCFG_HL_KEYS:
        needle = f'"{key}"'
        at = text.find(needle)
        while at != -1:
            pos = at + len(needle)
            while pos < len(text) and text[pos] in _WS + ":":
                pos += 1
            if pos < len(text) and text[pos] == '"':
                end = text.find('"', pos + 1)
                if end != -1 and end - pos < 20:
                    return text[pos + 1 : end], key
            at = text.find(needle, pos)
    return None


def html_lang(text: str) -> str | None:
    """The ``<html lang="...">`` attribute, if the document has one."""
    match = _HTML_LANG.search(text, 0, 20_000) or _HTML_LANG.search(text)
    return match.group(1) if match else None
