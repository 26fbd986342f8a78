"""Pull the JSON objects a YouTube page assigns to JS variables out of its ``<script>`` text.

Page content is data, never code: the value is located by string search, decoded by a JSON
parser (orjson on the script's text up to ``</script``, else ``json.JSONDecoder.raw_decode``, else
a brace scanner that respects string literals), and a JS string literal is unescaped by rule.
Nothing is evaluated and no greedy regex spans the object.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import orjson

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


# One token of the truncation scan: a whole string literal, a bracket or comma, or an opening
# quote whose string never ends (the page was cut inside it).
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|[{}\[\],]|["\']')
_SCRIPT_END = "</script"
_SCRIPT_END_BYTES = _SCRIPT_END.encode()
_WS_BYTES = (_WS + ";").encode()  # what may end a script after its object (as _fast_object strips)


@dataclass(slots=True)
class Assigned:
    """An object found in a page's script, and whether the page ended before it did."""

    value: dict
    start: int  # index of its ``{`` (or opening quote) in the text
    truncated: bool = False
    kept_until: int | None = None  # when truncated: index in the text up to which members were kept
    ends_at: int | None = None  # when truncated: where the script text (or the page) ends


def find_assigned_object(text: str, name: str) -> dict | None:
    """The JSON object assigned to JS variable ``name`` (``var``/``window[...]``/string forms)."""
    found = find_assigned(text, name)
    return found.value if found is not None else None


def find_assigned(text: str, name: str, utf8: bytes | None = None) -> Assigned | None:
    """The object assigned to ``name``; a page cut inside it gives the members before the cut.

    Tries every occurrence of the name and returns the first that is an assignment of an object
    literal or of a string literal holding JSON; ``var x = window.x`` style aliases are skipped.
    When no occurrence decodes whole, the first one that runs to the end of its script (a
    truncated download) is closed after its last complete member and returned as ``truncated``.

    ``utf8``: the bytes ``text`` was decoded from, when they are UTF-8 and decoded as they are (a
    BOM aside). orjson then parses the object straight from them: slicing a 1 MB page's text and
    encoding the slice back to UTF-8 for orjson cost more than the parse (ytInitialData: 3.5 ms
    against 2.1 ms). Whatever orjson refuses there takes the text's path, so the result is the same.

    >>> found = find_assigned('var ytInitialData = {"a": 1, "b": [2, {"c": "unfinish', "ytInitialData")
    >>> found.value, found.truncated
    ({'a': 1, 'b': [2, {}]}, True)
    """
    start = raw_start = 0
    needle = name.encode("ascii") if utf8 is not None and name.isascii() else None
    partial: Assigned | None = None
    while (at := text.find(name, start)) != -1:
        start = at + len(name)
        # An ASCII name's n-th occurrence in the text is its n-th in the UTF-8 bytes: no byte of a
        # multi-byte character is ASCII.
        raw_at = -1
        if needle is not None:
            raw_at = utf8.find(needle, raw_start)  # type: ignore[union-attr]
            raw_start = len(utf8) if raw_at == -1 else raw_at + len(needle)  # type: ignore[arg-type]
        if not _is_assignment_target(text, at):
            continue
        value_at = _value_start(text, at + len(name))
        if value_at is None:
            continue
        found = None
        if raw_at != -1 and text[value_at] == "{":  # between name and value only ASCII: same offset
            found = _fast_object_utf8(utf8, raw_at + (value_at - at))  # type: ignore[arg-type]
        if found is None:
            found = _decode_value(text, value_at)
        if isinstance(found, dict):
            return Assigned(found, value_at)
        if partial is None:
            partial = _decode_truncated(text, value_at)
    return partial


def _decode_truncated(text: str, pos: int) -> Assigned | None:
    """The object at ``pos`` when its script ends before it closes, cut at its last whole member."""
    stop = text.find(_SCRIPT_END, pos)
    stop = len(text) if stop == -1 else stop
    if text[pos] == "{":
        closed = close_truncated(text, pos, stop)
        if closed is None:
            return None
        body, kept = closed
        value = _loads_js_object(body)
        return Assigned(value, pos, True, kept, stop) if isinstance(value, dict) else None
    # '\x7b...' (mobile): the string literal itself is cut; unescape what arrived and close that.
    if scan_string_end(text, pos) is not None:
        return None
    line_end = text.find("\n", pos, stop)
    inner = decode_js_string(text[pos + 1 : stop if line_end == -1 else line_end])
    if not inner.startswith("{"):
        return None
    closed = close_truncated(inner, 0, len(inner))
    if closed is None:
        return None
    try:
        value = loads(closed[0])
    except (ValueError, RecursionError):
        return None
    # The kept share of the unescaped JSON, mapped back roughly onto the escaped text.
    kept = pos + 1 + int((stop - pos - 1) * closed[1] / max(1, len(inner)))
    return Assigned(value, pos, True, kept, stop) if isinstance(value, dict) else None


def close_truncated(text: str, pos: int, stop: int) -> tuple[str, int] | None:
    """``text[pos:stop]`` is an object literal cut short: close it after its last whole member.

    Returns (the closed JSON text, index in ``text`` where the kept part ends), or None when the
    object is not cut short (it closes before ``stop``, so it is malformed, not truncated).

    >>> close_truncated('{"a": [1, 2], "b": {"c": "x', 0, 27)
    ('{"a": [1, 2], "b": {}}', 20)
    """
    closers: list[str] = []
    cut = None  # last index where everything before is whole values inside open containers
    for m in _TOKEN.finditer(text, pos, stop):
        tok = m.group()
        if tok in "{[":
            closers.append("}" if tok == "{" else "]")
            cut = m.end()
        elif tok in "}]":
            if not closers:
                return None
            closers.pop()
            if not closers:
                return None  # the object closed: not truncated
            cut = m.end()
        elif tok == ",":
            cut = m.start()
        elif len(tok) == 1:  # a string that never closes: the text ends inside it
            break
    if cut is None:
        return None
    # The brackets still open at ``cut``: scan the kept part once more (cheaper than
    # snapshotting the stack at every comma of a 1 MB object).
    open_at_cut: list[str] = []
    for m in _TOKEN.finditer(text, pos, cut):
        tok = m.group()
        if tok in "{[":
            open_at_cut.append("}" if tok == "{" else "]")
        elif tok in "}]" and open_at_cut:
            open_at_cut.pop()
    return text[pos:cut] + "".join(reversed(open_at_cut)), cut


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


def loads(text: str | bytes) -> object:
    """``json.loads`` at orjson's speed (~2x on a watch page's 350 KB ytInitialData).

    What orjson refuses and the standard parser takes (a lone surrogate in a cut-off title,
    ``NaN``) or refuses differently (nesting past orjson's 1,024 levels, which the standard parser
    turns into the ``RecursionError`` callers report as ``too_deep``) goes to ``json.loads``, so
    values, errors and their messages are the standard parser's.
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _fast_object(text: str, pos: int) -> object | None:
    """The object at ``pos`` parsed by orjson, when it is valid JSON and its script ends after it.

    The value ends before ``</script`` (a served page escapes ``<`` inside strings), so the text
    up to there is the object plus, at most, more statements (``;var meta = ...``); orjson says
    where the object ends and the object alone is parsed again.
    """
    end = text.find(_SCRIPT_END, pos)
    candidate = text[pos : len(text) if end == -1 else end].rstrip(_WS + ";")
    try:
        return orjson.loads(candidate)
    except orjson.JSONDecodeError as exc:
        if not exc.msg.startswith("unexpected content after document"):
            return None  # not plain JSON (JS \xNN escapes, a cut page): the careful path decides
        try:
            return orjson.loads(candidate[: exc.pos])
        except orjson.JSONDecodeError:
            return None


def _fast_object_utf8(data: bytes, pos: int) -> dict | None:
    """``_fast_object`` on the page's UTF-8 bytes, without copying them: the object at byte ``pos``
    when it alone fills its script (up to ``;`` and ``</script``) and orjson takes it, else None."""
    if data[pos : pos + 1] != b"{":
        return None
    end = data.find(_SCRIPT_END_BYTES, pos)
    end = len(data) if end == -1 else end
    while end > pos and data[end - 1] in _WS_BYTES:
        end -= 1
    try:
        value = orjson.loads(memoryview(data)[pos:end])
    except orjson.JSONDecodeError:
        return None  # more statements after it, JS escapes, a cut page: the text's path decides
    return value if isinstance(value, dict) else None


def _decode_value(text: str, pos: int) -> object | None:
    if text[pos] == "{":
        if isinstance(fast := _fast_object(text, pos), dict):
            return fast
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
        return loads(decode_js_string(text[pos + 1 : end - 1]))
    except (ValueError, RecursionError):  # nesting deeper than json's recursion limit
        return None


def _loads_js_object(body: str) -> object | None:
    """Last resort for an object literal JSON rejects: JS ``\\xNN`` escapes inside its strings."""
    try:
        return loads(re.sub(r"\\x([0-9A-Fa-f]{2})", r"\\u00\1", body))
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
