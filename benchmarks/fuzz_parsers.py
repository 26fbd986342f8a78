"""Fuzz the pure core for minutes: hostile bytes under each suffix must give a page or a reject.

Run: ``python benchmarks/fuzz_parsers.py [--minutes 5] [--seed N]``. Not part of CI: the
Hypothesis properties in ``tests/test_properties.py`` are the quick version of this.

Inputs are drawn by Hypothesis (random bytes, the real fixtures truncated, spliced and salted
with hostile snippets, generated InnerTube-shaped JSON and watch-page HTML) and fed to
``process_page``. A failure is any of: an exception escaping ``process_page``; an
``internal_error`` reject (a bug caught by the safety net); rows the Parquet schemas refuse (one
such page stops a whole batch); a ``links.url`` that is not http(s). Failures are collected, not
shrunk, so one bug does not end the run; each distinct one is printed once with a reproducer.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pageclean.pipeline import PageMeta, process_page
from pageclean.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.suffix in (".txt", ".html", ".json"))
NOW = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
# Pieces a hostile or broken page might carry; spliced into real pages at random offsets.
SNIPPETS = [
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3\x28", b"\xed\xa0\x80", b"\r", b"\n" * 50,
    b"<script>var ytInitialData = {", b"var ytInitialPlayerResponse = '\\x7b\\x22a", b"window[\"ytInitialData\"] = ",
    b'{"urlEndpoint": {"url": "javascript:alert(1)"}}', b'"url": "\\x6aavascript:alert(1)"',
    b'<a href="&#106;avascript:alert(1)">x</a>', b'<a href="JaVa\tScRiPt:alert(1)">x</a>',
    b'<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', b'<a href="java\xe2\x80\x8bscript:x">x</a>',
    b'"viewCount": "99999999999999999999999"', b'"lengthSeconds": "-1"', b"99999999999999999999 views",
    b"\\ud800", b'"\\ud83d"', b"<div>" * 300, b"[" * 3000, b'{"a":' * 3000, b"</script>",
    b'"text": "@@', b"00:00 Intro\n99999999:00 End\n", b"https://youtu.be/dQw4w9WgXcQ?t=999999999999999h",
    b"http://[::1", b"https://www.youtube.com/redirect?q=javascript%3Aalert(1)",
    '\u202ejavascript:'.encode(), "Рет қаралды 10,936\n".encode(), b"<ytd-watch-flexy video-id=\"dQw4w9WgXcQ\">",
    b'<h1 id="eow-title">T</h1>', b"<!--", b"<![CDATA[",
]
SUFFIXES = (".txt", ".html", ".json")

_fixture_bytes = [p.read_bytes() for p in FIXTURES]


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[str, bytes]:
    index = draw(st.integers(0, len(_fixture_bytes) - 1))
    data = bytearray(_fixture_bytes[index])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "duplicate"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "truncate":
            del data[at:]
        elif op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(SNIPPETS) | st.binary(max_size=16))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 4096))]
        elif op == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 4096))]
    suffix = FIXTURES[index].suffix if draw(st.booleans()) else draw(st.sampled_from(SUFFIXES))
    return suffix, bytes(data)


_text = st.text(st.characters(codec=None), max_size=40) | st.sampled_from(
    [s.decode("utf-8", "replace") for s in SNIPPETS]
)
_json_leaf = st.none() | st.booleans() | st.integers() | st.floats() | _text
_json = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["runs", "text", "simpleText", "url", "urlEndpoint", "commandRuns", "contents",
                         "videoDetails", "viewCount", "lengthSeconds", "videoId", "title", "content",
                         "startIndex", "length", "onTap", "navigationEndpoint", "commentRenderer",
                         "commentThreadRenderer", "replies", "compactVideoRenderer", "lockupViewModel",
                         "chapterRenderer", "timeRangeStartMillis", "frameworkUpdates", "mutations"]) | _text,
        inner, max_size=5),
    max_leaves=40,
)
_innertube = st.fixed_dictionaries(
    {"responseContext": st.just({}), "contents": _json},
    optional={"videoDetails": _json, "frameworkUpdates": _json, "microformat": _json},
)


@st.composite
def generated(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["json", "html", "bytes"]))
    if kind == "json":
        obj = draw(_innertube)
        return ".json", json.dumps(obj, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if kind == "html":
        obj = json.dumps(draw(_innertube))
        var = draw(st.sampled_from(["ytInitialData", "ytInitialPlayerResponse"]))
        body = draw(st.lists(st.sampled_from(SNIPPETS) | st.binary(max_size=20), max_size=8))
        page = b"<html><body>" + b"".join(body) + f"<script>var {var} = {obj};</script>".encode(
            "utf-8", "surrogatepass")
        cut = draw(st.integers(0, len(page)))
        return ".html", page if draw(st.booleans()) else page[:cut]
    return draw(st.sampled_from(SUFFIXES)), draw(st.binary(max_size=2000))


_json_fixtures = []
for _p in FIXTURES:
    if _p.suffix == ".json":
        try:
            _obj = json.loads(_p.read_bytes())
        except ValueError:
            continue
        if isinstance(_obj, dict):
            _json_fixtures.append(_obj)


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in a JSON tree (iterative, so deep fixtures cannot recurse)."""
    out, stack = [], [(prefix, node)]
    while stack:
        path, current = stack.pop()
        out.append(path)
        if isinstance(current, dict):
            stack.extend(((*path, k), v) for k, v in current.items())
        elif isinstance(current, list):
            stack.extend(((*path, i), v) for i, v in enumerate(current))
    return out


@st.composite
def mutated_json(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real InnerTube response with a few subtrees swapped for generated values."""
    obj = json.loads(json.dumps(draw(st.sampled_from(_json_fixtures))))
    paths = _paths(obj)
    for _ in range(draw(st.integers(1, 8))):
        path = draw(st.sampled_from(paths[1:]))
        parent = obj
        try:
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = draw(_json)
        except (KeyError, IndexError, TypeError):
            continue
    text = json.dumps(obj, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        return ".json", text.encode("utf-8", "surrogatepass")
    var = draw(st.sampled_from(["ytInitialData", "ytInitialPlayerResponse"]))
    page = f"<html><body><script>var {var} = {text};</script></body></html>".encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        page = page[: draw(st.integers(0, len(page)))]
    return ".html", page


inputs = mutated_fixture() | generated() | mutated_json()


def check(suffix: str, data: bytes, outcomes: Counter[str]) -> str | None:
    """None when the page behaved; otherwise a one-line description of the failure."""
    result = process_page(data, PageMeta(f"fuzz{suffix}", len(data), NOW, "mtime"), NOW)
    if result.rejected:
        reject = result.rows["rejects"][0]
        outcomes[f"{suffix} reject:{reject['reason']}"] += 1
        if reject["reason"] == "internal_error":
            return f"internal_error: {reject['detail']}"
        return None
    outcomes[f"{suffix} page:{result.rows['videos'][0]['parser']}"] += 1
    for table, rows in result.rows.items():
        try:
            pa.Table.from_pylist(rows, schema=TABLES[table])
        except Exception as exc:  # every refusal is a finding
            return f"parquet refuses {table}: {type(exc).__name__}: {str(exc)[:120]}"
    for link in result.rows["links"]:
        if not link["url"].lower().startswith(("http://", "https://")):
            return f"non-http link kept: {link['url']!r}"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0, help="how long to fuzz (default 5)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"),
                        help="folder for one reproducer file per distinct failure")
    args = parser.parse_args()
    deadline = time.monotonic() + args.minutes * 60
    started = time.monotonic()
    stats: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    failures: dict[str, tuple[str, bytes]] = {}

    @settings(max_examples=500, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(inputs)
    def one(case: tuple[str, bytes]) -> None:
        if time.monotonic() > deadline:
            return
        suffix, data = case
        stats["examples"] += 1
        try:
            problem = check(suffix, data, outcomes)
        except Exception as exc:  # process_page must never raise
            problem = f"escaped {type(exc).__name__}: {exc} @ {traceback.extract_tb(exc.__traceback__)[-1]}"
        if problem:
            stats["failures"] += 1
            key = problem[:160]
            if key not in failures:
                failures[key] = (suffix, data)
                print(f"FAIL [{suffix}, {len(data)} bytes] {problem}", flush=True)

    rounds = 0
    while time.monotonic() < deadline:
        one()
        rounds += 1
        elapsed = time.monotonic() - started
        print(f"round {rounds}: {stats['examples']} examples, {stats['failures']} failures, "
              f"{len(failures)} distinct, {elapsed / 60:.1f} min", flush=True)
    if failures:
        args.out.mkdir(exist_ok=True)
        for n, (key, (suffix, data)) in enumerate(failures.items()):
            (args.out / f"case{n:03d}{suffix}").write_bytes(data)
            print(f"  case{n:03d}{suffix}: {key}")
    minutes = (time.monotonic() - started) / 60
    print("outcomes:", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    print(f"done: {stats['examples']} examples in {minutes:.1f} min, {stats['failures']} failing, "
          f"{len(failures)} distinct failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
