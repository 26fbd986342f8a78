"""serve's output filter: a traceback from the serving process becomes its last line (unless -v),
warnings and errors are marked, other lines pass as they are."""

from __future__ import annotations

import io

from pageclean.service import fold_output

# Shaped like the output Prefect's runner printed when its server stopped (issue 12).
CHILD_OUTPUT = """\
05:08:53.341 | INFO    | prefect.runner - polling
05:08:53.341 | WARNING | prefect.FlowRunCancellingObserver - The websocket failed with an exception.
Traceback (most recent call last):
  File "/x/httpcore/_sync/connection.py", line 124, in _connect
    stream = self._network_backend.connect_tcp(**kwargs)
httpcore.ConnectError: [Errno 111] Connection refused

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/x/prefect/client/orchestration/__init__.py", line 1523, in raise_for_api_version_mismatch
    api_version = self.api_version()
RuntimeError: Failed to reach API at http://127.0.0.1:4399/api/
05:09:00.927 | ERROR   | prefect.runner - Process exited with status code: 1.
"""


def _emitted(text: str, verbose: bool = False) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    fold_output(io.StringIO(text), lambda line, alarming: out.append((line, alarming)), verbose=verbose)
    return out


def test_a_chained_traceback_becomes_its_last_exception():
    """Both tracebacks of the chain fold into one line: the final exception."""
    lines = _emitted(CHILD_OUTPUT)
    assert [alarming for _, alarming in lines] == [False, True, True, True]
    assert lines[2][0].strip() == ("RuntimeError: Failed to reach API at http://127.0.0.1:4399/api/  "
                                   "(traceback hidden; -v shows it)")
    assert "Traceback" not in "".join(line for line, _ in lines)
    assert lines[3][0].startswith("05:09:00.927 | ERROR")


def test_verbose_keeps_tracebacks_whole():
    lines = [line for line, _ in _emitted(CHILD_OUTPUT, verbose=True)]
    assert lines == CHILD_OUTPUT.splitlines()


def test_a_traceback_at_the_end_of_the_output_is_not_lost():
    text = "Traceback (most recent call last):\n  File \"x\", line 1\nValueError: bad\n"
    assert _emitted(text) == [("    ValueError: bad  (traceback hidden; -v shows it)", True)]


def _group_traceback() -> str:
    """A real Python exception-group traceback, as Prefect's runner died with when its poller gave
    up during an API outage (``anyio`` task groups raise ``ExceptionGroup``)."""
    import traceback

    def poller() -> None:
        raise RuntimeError("Service exceeded error threshold.")

    try:
        try:
            poller()
        except RuntimeError as inner:
            raise ExceptionGroup("unhandled errors in a TaskGroup", [ExceptionGroup("inner", [inner])]) from None
    except ExceptionGroup as group:
        return "".join(traceback.format_exception(group))


def test_an_exception_group_traceback_becomes_its_innermost_exception():
    """Python prints a group's traceback indented under "|" and "+" rails: it is folded like any
    traceback, into the innermost exception, and the line after it passes as it is."""
    group = _group_traceback()
    assert group.lstrip().startswith("+ Exception Group Traceback")  # the shape this test is about
    text = "Examples of recent errors:\n" + group + "05:10:00.100 | INFO    | prefect.runner - stopped\n"
    lines = _emitted(text)
    assert lines == [
        ("Examples of recent errors:", False),
        ("    RuntimeError: Service exceeded error threshold.  (traceback hidden; -v shows it)", True),
        ("05:10:00.100 | INFO    | prefect.runner - stopped", False),
    ]
    assert [line for line, _ in _emitted(text, verbose=True)] == text.splitlines()


def test_a_traceback_chained_after_a_group_is_folded_too():
    """A plain traceback right after a group's is read as the next block, not as part of the group."""
    text = _group_traceback() + "Traceback (most recent call last):\n  File \"x\", line 1\nValueError: bad\n"
    lines = _emitted(text)
    assert [line.strip() for line, _ in lines] == [
        "RuntimeError: Service exceeded error threshold.  (traceback hidden; -v shows it)",
        "ValueError: bad  (traceback hidden; -v shows it)",
    ]


def _chained(cause: BaseException, effect: type[BaseException], message: str) -> str:
    """A real traceback of ``effect`` raised from ``cause``, as Python prints the chain."""
    import traceback

    try:
        try:
            raise cause
        except BaseException as exc:
            raise effect(message) from exc
    except BaseException as exc:
        return "".join(traceback.format_exception(exc))


def test_a_chain_through_an_exception_group_folds_into_one_line():
    """A group that causes a plain exception, and a plain one that causes a group: each chain is one
    line, its final exception, and nothing of it is passed on."""
    group_first = _chained(ExceptionGroup("group", [RuntimeError("inner")]), ValueError, "outer")
    plain_first = _chained(KeyError("k"), lambda m: ExceptionGroup(m, [RuntimeError("innermost")]), "wrapped")
    for text, final in ((group_first, "ValueError: outer"), (plain_first, "RuntimeError: innermost")):
        assert "Exception Group Traceback" in text and "The above exception" in text
        lines = _emitted(text + "after\n")
        assert lines == [(f"    {final}  (traceback hidden; -v shows it)", True), ("after", False)]
