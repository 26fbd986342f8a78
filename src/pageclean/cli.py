"""The ``pageclean`` command: a thin shell over the Prefect flow in ``flows/curate.py``."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

EPILOG = textwrap.dedent(
    """\
    examples:
      pageclean run                                 curate raw/ into curated/ (the bundled sample)
      pageclean run --raw /data/scrapes --curated /data/curated
      pageclean run --batch-size 500 --wait 600     queue behind another run for up to 10 minutes

    what goes in:  raw/**/*.txt (innerText dumps), *.html/*.htm (watch pages), *.json (InnerTube
                   responses), each optionally beside <file>.meta.json {"url", "scraped_at"}.
    what comes out: curated/<table>/scrape_date=YYYY-MM-DD/*.parquet for videos, chapters, links,
                   comments, related_videos and rejects (every bad input, with a reason).
    Runs are incremental: unchanged files are skipped, re-running never duplicates a row.
    Prefect needs no set-up: the first run starts a local Prefect server (loopback only) that the
    next runs reuse; it stops after PAGECLEAN_PREFECT_LINGER seconds without a run (default 600,
    0 = with the run). Set PREFECT_API_URL to report to your own server instead.
    """
)

RUN_EPILOG = textwrap.dedent(
    """\
    The exit code is 0 when the run completed, even if some pages were rejected (see the
    summary and the rejects table); 1 when the run could not happen, with one sentence on
    stderr (raw folder missing, a file or unreadable; curated folder a file, not creatable,
    not writable, inside the raw folder or locked by another run; a URL no installed fsspec
    driver handles; no PAGECLEAN_AUTHOR_KEY for --pseudonymize-authors); 2 for a usage error.
    """
)


SERVE_EPILOG = textwrap.dedent(
    """\
    SIGTERM or Ctrl-C stops serve within 10 s, also in the middle of a run (a batch cut off is
    recovered by the next run) and while the Prefect API is gone. While the API is gone, serve
    prints one warning and waits; when it is back, runs resume on the same schedule.
    """
)


REPROCESS_EPILOG = textwrap.dedent(
    """\
    examples:
      pageclean reprocess                           after an upgrade: pages an older version wrote
      pageclean reprocess --all --where "ui_language = 'kk'"
      pageclean reprocess --all --path 'html/*'

    --where is a condition on the videos table in SQL (polars SQL; any column of the data
    dictionary, scrape_date as a date). Exit codes as for run.
    """
)


def _build_parser() -> argparse.ArgumentParser:

    parser = argparse.ArgumentParser(
        prog="pageclean",
        description="Turn scraped YouTube watch pages, in any UI language, into curated Parquet tables.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="curate new raw pages into the Parquet tables (one run, local Prefect server)",
        description="Read every new page under --raw, clean it, and add its rows to the "
        "Parquet tables under --curated.",
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_location_options(run)
    _add_production_options(run)
    verbosity = run.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="store_true",
                           help="show Prefect's INFO logs (flow and task runs)")
    verbosity.add_argument("-q", "--quiet", action="store_true",
                           help="no progress bar; print only the summary")

    serve = sub.add_parser(
        "serve",
        help="run on a schedule (Prefect flow.serve): e.g. every hour",
        description="Serve the curate flow as a Prefect deployment with a cron schedule. Each "
        "scheduled run is the same as `pageclean run` with these options, and incremental: it "
        "reads only new or changed raw files. Needs a Prefect server that outlives the process "
        "(`prefect server start`, then PREFECT_API_URL); for work pools use prefect.yaml (see README).",
        epilog=SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", metavar='"0 * * * *"', help="when to run, as a cron expression (UTC)")
    when.add_argument("--interval", type=_positive_int, metavar="SECONDS", help="or run every SECONDS")
    serve.add_argument("--name", default="pageclean-scheduled", help="deployment name (default: %(default)s)")
    _add_location_options(serve)
    _add_production_options(serve)
    serve.add_argument("-v", "--verbose", action="store_true",
                       help="show Prefect's INFO logs, and tracebacks in full")

    reprocess = sub.add_parser(
        "reprocess",
        help="re-curate pages an older pageclean wrote (or --all), replacing their rows in every table",
        description="Read the raw files of pages that an older pageclean curated (their rows' "
        "pipeline_version is older than this one's) again, and replace those pages' rows in every "
        "table with what this version makes of them. --all, --where and --path choose other pages. "
        "Queries meanwhile see each page's old rows or its new ones, never both; a page whose raw "
        "file is gone keeps its rows and is listed.",
        epilog=REPROCESS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_location_options(reprocess)
    _add_production_options(reprocess)
    pick = reprocess.add_argument_group("which pages (default: those an older pageclean wrote)")
    pick.add_argument("--all", dest="every", action="store_true",
                      help="every page, whichever version wrote it")
    pick.add_argument("--where", metavar="SQL",
                      help="only pages whose videos row matches this SQL condition, e.g. \"ui_language = 'kk'\"")
    pick.add_argument("--path", dest="path_glob", metavar="GLOB",
                      help="only pages whose source_path matches this glob, e.g. 'html/*' ('*' crosses folders)")
    quiet = reprocess.add_mutually_exclusive_group()
    quiet.add_argument("-v", "--verbose", action="store_true", help="show Prefect's INFO logs")
    quiet.add_argument("-q", "--quiet", action="store_true", help="no progress bar; print only the summary")

    compact = sub.add_parser(
        "compact",
        help="merge the many small Parquet files of incremental runs (answers unchanged)",
        description="Merge each table's part files, per scrape_date partition, into one file. "
        "On a local disk each partition is swapped in one atomic step, so every query gives the "
        "same answer before, during and after (a query that listed the old files and opens them "
        "after the swap fails and can be re-run). On object stores a partition's rows are missing "
        "for a moment while it is rewritten: compact those when nobody queries them.",
    )
    compact.add_argument("--curated", default="curated", metavar="DIR",
                         help="curated folder or URL (default: %(default)s)")
    compact.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                         help="if a run holds --curated, wait this long for it (default: refuse)")
    _add_views_parser(sub)
    return parser


VIEWS_EPILOG = textwrap.dedent(
    """\
    The database holds views only, no data: each query reads the Parquet files as they are then,
    so new runs show up without writing it again. Write it again after upgrading pageclean (new
    columns and views) or when a table that had no files yet gets its first ones.

    The views name their files relative to the curated folder, so the folder can be moved or
    copied with the database. DuckDB resolves such paths against its working directory, or
    against file_search_path when set (it is not stored in the file). Open it either way:
      cd curated && duckdb pageclean.duckdb
      duckdb -readonly -cmd "SET file_search_path='curated'" curated/pageclean.duckdb
    From Python: pageclean.lake.connect("curated") (DuckDB), or pageclean.lake.open("curated")
    for the same tables and views as polars LazyFrames, no database needed.

    views: videos_latest (one row per video, its latest scrape, publish window narrowed by all),
    video_history (counts per scrape), comments_unique (one row per comment across scrapes),
    citations (per cited paper or repository: the videos citing it); and one per table.
    Columns: the README's "Views across scrapes" section.
    """
)


def _add_views_parser(sub: argparse._SubParsersAction) -> None:
    views = sub.add_parser(
        "views",
        help="write a DuckDB database of SQL views over the curated tables (latest state, history, "
        "unique comments, citations)",
        description="Write curated/pageclean.duckdb: one view per table (every scrape, every "
        "pageclean version's files) and the analyst's views across scrapes.",
        epilog=VIEWS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    views.add_argument("--curated", default="curated", metavar="DIR",
                       help="the local curated folder (default: %(default)s)")
    views.add_argument("--output", metavar="FILE",
                       help="where to write the database (default: DIR/pageclean.duckdb; elsewhere, "
                       "set file_search_path to DIR when you open it)")


def _add_location_options(p: argparse.ArgumentParser) -> None:
    from pageclean.runner import DEFAULT_BATCH_BYTES, DEFAULT_BATCH_SIZE, DEFAULT_MAX_BYTES, MAX_BATCH_BYTES

    p.add_argument("--raw", default="raw", metavar="DIR",
                   help="folder (or fsspec URL) of raw pages, read recursively (default: %(default)s)")
    p.add_argument("--curated", default="curated", metavar="DIR",
                   help="folder (or fsspec URL) of the Parquet datasets, created if missing (default: %(default)s)")
    p.add_argument("--batch-size", type=_positive_int, default=DEFAULT_BATCH_SIZE, metavar="N",
                   help=f"pages per Prefect task at most; a task also closes at "
                   f"{DEFAULT_BATCH_BYTES // 2**20} MB of pages (up to {MAX_BATCH_BYTES // 2**20} MB when "
                   "every process still gets 4 tasks) (default: %(default)s)")
    p.add_argument("--max-bytes", type=_positive_int, default=DEFAULT_MAX_BYTES, metavar="N",
                   help="larger files are rejected as too_large, unread (default: %(default)s)")


def _add_production_options(p: argparse.ArgumentParser) -> None:
    """What a production run is tuned with; `run` and `serve` take the same."""
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="if another run holds --curated, wait this long for it (default: refuse)")
    p.add_argument("--workers", type=_positive_int, default=DEFAULT_WORKERS, metavar="N",
                   help="processes parsing in parallel on this machine (default: %(default)s, "
                   "this machine's cores; 1 = in this process)")
    p.add_argument("--dask-address", metavar="tcp://HOST:8786",
                   help="parse the batches on the workers of an existing Dask cluster instead (they "
                   "need pageclean installed, not Prefect); --raw and --curated must then be paths "
                   "or URLs every worker can reach")
    p.add_argument("--pseudonymize-authors", action="store_true",
                   help="store keyed pseudonyms instead of author handles; the key (16+ characters) "
                   "comes from the PAGECLEAN_AUTHOR_KEY environment variable, never the command line")


DEFAULT_WORKERS = os.cpu_count() or 1


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be greater than 0")
    return value


def _version() -> str:
    from pageclean import __version__

    return __version__


def _quiet_prefect(verbose: bool) -> None:
    """Embedded Prefect, without its INFO chatter, telemetry or shutdown noise."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    # Prefect's internal services (event and log shipping) report their own failures on a logger
    # of their own that does not propagate: with -v they show, otherwise they are not the user's.
    os.environ.setdefault("PREFECT_INTERNAL_LOGGING_LEVEL", "ERROR" if verbose else "CRITICAL")
    # The flow's own logs reach the temporary server's database; stop them being echoed twice.
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")


def main(argv: list[str] | None = None) -> int:
    started = time.monotonic()
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "serve":
        return _serve(args)
    if args.command == "compact":
        return _compact(args)
    if args.command == "views":
        return _views(args)
    code = _reprocess(args, started) if args.command == "reprocess" else _run(args, started)
    if argv is None:  # the `pageclean` command itself, not a caller in Python
        _exit_now(code)
    return code


def _exit_now(code: int) -> None:
    """Exit without the interpreter's teardown of the ~1,500 modules a Prefect run loads (0.5-1 s
    after the summary is printed). The run is over: Prefect flushed its logs and events when the
    flow finished, the pool and the lease are released; the exit handlers still run."""
    import atexit

    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _run(args: argparse.Namespace, started: float) -> int:
    from rich.console import Console

    err = Console(stderr=True, soft_wrap=True)

    def start():
        import flows.curate as flow_module

        return flow_module, lambda: flow_module.run_curate(**_flow_options(args))

    code, summary = _drive_flow(args, err, start, "nothing half-written is visible; the next run picks up.")
    if summary is not None:
        from pageclean.report import render_summary

        Console().print(render_summary(summary, args.curated, time.monotonic() - started))
    return code


def _flow_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options `run` and `reprocess` share, as the flows' parameters."""
    return {"workers": args.workers, "dask_address": args.dask_address, "raw": args.raw,
            "curated": args.curated, "batch_size": args.batch_size, "max_bytes": args.max_bytes,
            "lock_wait_seconds": args.wait, "pseudonymize_authors": args.pseudonymize_authors}


def _drive_flow(args: argparse.Namespace, err, start: Callable[[], tuple[Any, Callable[[], Any]]],
                interrupted: str) -> tuple[int, Any]:
    """What `run` and `reprocess` share around their flow: the checks that need no Prefect, the
    early start of the server and the parsers, the progress bar, and one line (no traceback) for
    every way it can fail. ``start`` imports the flow's module (after the early start, which it
    overlaps) and gives it with the call that runs the flow. Returns (exit code, the flow's
    summary or None)."""
    from pageclean.errors import ConfigError, CuratedLockedError

    problem = _pseudonym_problem() if args.pseudonymize_authors else None
    problem = problem or _check_locations(args.raw, args.curated, lock=args.wait <= 0)
    if problem:
        err.print(f"[red]error:[/] {problem}", highlight=False)
        return 1, None
    _quiet_prefect(args.verbose)
    from pageclean.apiserver import ServerStartError

    try:
        server = _start_early(args)  # before the flow's imports, which it overlaps
    except ServerStartError as exc:
        err.print(f"[red]error:[/] {exc}; nothing was read or written.")
        return 1, None

    flow_module, run_flow = start()
    from pageclean.report import ProgressBar

    logging.getLogger("prefect.flow_runs").addFilter(_NoTracebackForOwnErrors())
    bar = None if args.quiet or not err.is_terminal else ProgressBar(err)
    flow_module.progress_hook = bar.update if bar else None
    try:
        with _silence_shutdown_noise(), _prefect_errors_off_terminal(args.verbose), _prefect_api(server):
            return 0, run_flow()
    except ServerStartError as exc:
        err.print(f"[red]error:[/] {exc}; nothing was read or written.")
        if exc.log:
            err.print(exc.log, markup=False, highlight=False)
        return 1, None
    except (CuratedLockedError, ConfigError) as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        return 1, None
    except KeyboardInterrupt:
        err.print(f"[yellow]interrupted:[/] {interrupted}")
        return 130, None
    except Exception as exc:  # the run itself failed (disk full, permissions): say so, no traceback
        err.print(f"[red]error:[/] {_failure(exc)}", highlight=False)
        return 1, None
    finally:
        if bar:
            bar.stop()
        if server is not None:
            server.release()  # (a run that dies before this releases it with its process)


def _failure(exc: BaseException) -> str:
    """One line for a run that failed: what happened, that the lake is intact, and what to do."""
    import errno

    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        where = f" while writing {exc.filename}" if exc.filename else ""
        return (f"the disk is full (no space left on the device{where}). Nothing half-written is visible: "
                "the tables are as the last complete run left them. Free some space and run again; "
                "batches this run finished are published then.")
    return (f"the run failed: {type(exc).__name__}: {str(exc).rstrip('.')}. Pages already published are kept; "
            "run again (with -v for Prefect's logs).")


def _reprocess(args: argparse.Namespace, started: float) -> int:
    """`pageclean reprocess`: the run's start-up and error handling around the reprocess flow."""
    from rich.console import Console

    err = Console(stderr=True, soft_wrap=True)

    def start():
        import flows.reprocess as flow_module

        return flow_module, lambda: flow_module.run_reprocess(
            **_flow_options(args), every=args.every, where=args.where, path_glob=args.path_glob)

    code, summary = _drive_flow(args, err, start,
                                "nothing half-written is visible; the next run finishes or undoes it.")
    if summary is not None:
        from pageclean.report_reprocess import render_summary

        Console().print(render_summary(summary, time.monotonic() - started))
    return code


def _start_early(args: argparse.Namespace):
    """What a run waits for, started before it imports Prefect (~1.5 s) so that they overlap:
    the local Prefect server, and the processes that will parse (the local pool's fork server,
    which loads the parsers and catalogs, or the workers of a Dask cluster). Returns the server
    this run holds, or None when PREFECT_API_URL names one."""
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        from pageclean.apiserver import acquire

        server = acquire()  # first: a new server is the longest wait (~4 s, ~8 s on a new database)
    if args.dask_address:
        from pageclean.dask_warmup import start_warm_up

        start_warm_up(args.dask_address)
    elif args.workers > 1:
        from pageclean import parallel

        parallel.prestart()
    return server


@contextlib.contextmanager
def _prefect_api(server) -> Iterator[None]:
    """Point Prefect at the local server for the run, unless the user's Prefect settings (a profile,
    prefect.toml) name an API: those are only known once Prefect is imported."""
    if server is None:
        yield
        return
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if get_current_settings().api.url:
        server.release()  # not needed: it stops, or lingers for the next run
        yield
        return
    server.wait_ready()
    with temporary_settings(updates={PREFECT_API_URL: server.url}):
        yield


def _check_locations(raw: str, curated: str, lock: bool = False) -> str | None:
    """A sentence saying what is wrong with --raw / --curated, or None (``pageclean.io.locations``).

    With ``lock`` (a run without --wait), a curated folder that another run holds is refused here,
    before Prefect's start-up; the flow still takes the lock itself.
    """
    from pageclean.errors import CuratedLockedError
    from pageclean.io import curated as store
    from pageclean.io.locations import check_run

    problem = check_run(raw, curated)
    if problem is None and lock:
        try:
            with store.locked(curated):
                pass
        except CuratedLockedError as exc:
            return str(exc)
    return problem


class _NoTracebackForOwnErrors(logging.Filter):
    """Prefect logs a failed flow's exception with its traceback; pageclean's own errors (a locked
    folder, a location that went away) are sentences the CLI prints, so their record is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        from pageclean.errors import PagecleanError

        return not (record.exc_info and isinstance(record.exc_info[1], PagecleanError))


def _serve(args: argparse.Namespace) -> int:
    import signal

    from rich.console import Console

    from pageclean.service import Supervisor, child_argv

    err = Console(stderr=True, soft_wrap=True)
    problem = _check_locations(args.raw, args.curated)
    if problem:
        err.print(f"[red]error:[/] {problem}", highlight=False)
        return 1
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        err.print("[red]error:[/] a schedule needs a Prefect server that keeps running: start one with "
                  "`prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api "
                  "(the local server of `pageclean run` stops minutes after its last run).")
        return 1
    if args.pseudonymize_authors and (problem := _pseudonym_problem()):
        err.print(f"[red]error:[/] {problem}")
        return 1
    if args.cron and (problem := _cron_problem(args.cron)):
        err.print(f"[red]error:[/] --cron {args.cron!r} is not a cron expression ({problem}).")
        return 2
    _quiet_prefect(args.verbose)  # the serving process inherits it
    spec = {
        "name": args.name, "cron": args.cron, "interval": args.interval, "dask_address": args.dask_address,
        # The flow's parameters: exactly what `pageclean run` passes (see _run).
        "parameters": {
            "raw": _absolute(args.raw), "curated": _absolute(args.curated), "batch_size": args.batch_size,
            "max_bytes": args.max_bytes, "lock_wait_seconds": args.wait,
            "pseudonymize_authors": args.pseudonymize_authors,
            "workers": args.workers, "dask_address": args.dask_address,
        },
    }
    supervisor = Supervisor(child_argv(spec), api_url, sys.stderr, verbose=args.verbose)
    when = f"on cron {args.cron!r}" if args.cron else f"every {args.interval} s"
    err.print(f"serving [bold]{args.name}[/] {when}: {args.raw} -> {args.curated} (Ctrl-C or SIGTERM stops)")
    previous = {s: signal.signal(s, supervisor.request_stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        code = supervisor.run()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    err.print("stopped." if code == 0 else f"stopped (exit code {code}).")
    return code


def _pseudonym_problem() -> str | None:
    from pageclean.errors import ConfigError
    from pageclean.runner import author_pseudonymizer

    try:
        author_pseudonymizer()
    except ConfigError as exc:
        return str(exc)
    return None


def _cron_problem(cron: str) -> str | None:
    from prefect.schedules import Cron

    try:
        Cron(cron)
    except Exception as exc:
        return str(exc)
    return None


def _absolute(location: str) -> str:
    """A served run starts in another process, later: give it locations that do not depend on
    the directory it starts in."""
    from pageclean.io.fs import is_url

    return location if is_url(location) else str(Path(location).resolve())


def _compact(args: argparse.Namespace) -> int:
    from rich.console import Console

    from pageclean.errors import CuratedLockedError
    from pageclean.io.curated import compact
    from pageclean.io.locations import check_curated

    err = Console(stderr=True, soft_wrap=True)
    problem = check_curated(args.curated, create=False)
    if problem:
        err.print(f"[red]error:[/] {problem}", highlight=False)
        return 1
    try:
        report = compact(args.curated, lock_wait_seconds=args.wait)
    except CuratedLockedError as exc:
        err.print(f"[red]error:[/] {exc}")
        return 1
    Console().print(str(report), highlight=False)
    return 0


def _views(args: argparse.Namespace) -> int:
    from rich.console import Console

    from pageclean.io.fs import is_url

    err = Console(stderr=True, soft_wrap=True)
    if is_url(args.curated):
        err.print(f"[red]error:[/] --curated {args.curated!r} is a URL: the views need a local folder "
                  "(DuckDB reads object stores itself; copy the lake, or query it with read_parquet).")
        return 1
    from pageclean.io.locations import check_curated

    problem = check_curated(args.curated, create=False, writable=args.output is None)
    if problem:
        err.print(f"[red]error:[/] {problem}", highlight=False)
        return 1
    try:
        import duckdb  # noqa: F401 - a dependency; a broken install is told so, not shown a traceback
    except ImportError as exc:
        err.print(f"[red]error:[/] DuckDB is not importable ({exc}); reinstall pageclean (`pip install -e .`).")
        return 1
    from pageclean.lake.sql import write_database

    try:
        written = write_database(args.curated, args.output)
    except OSError as exc:  # --output in a folder that is missing, a file, or read-only
        where = args.output or f"{args.curated}/pageclean.duckdb"
        err.print(f"[red]error:[/] the database {where!r} cannot be written: {exc.strerror or exc}.",
                  highlight=False)
        return 1
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"wrote {written.path}: views {', '.join([*written.tables, *written.views])}")
    if written.without_video_id:
        out.print(f"note: {written.without_video_id} scrape(s) have no video_id (no sidecar URL, none on the "
                  "page): videos_latest, video_history and citations leave them out, as nothing matches them "
                  "across scrapes.")
    for table in written.empty_tables:
        out.print(f"note: {table} has no files yet, so its view is empty; run `pageclean views` again "
                  "after a run adds some.")
    here = Path(args.curated)
    out.print(f"open it with: cd {here} && duckdb {written.path.name}" if written.path.parent.resolve()
              == here.resolve() else
              f"open it with: duckdb -readonly -cmd \"SET file_search_path='{here.resolve()}'\" {written.path}")
    return 0


class _prefect_errors_off_terminal:
    """While a flow runs without -v: Prefect's console handler prints nothing, so a failed task's traceback
    goes only to the Prefect API (the UI keeps it) and the terminal gets pageclean's one-line message."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.levels: list[tuple[logging.Handler, int]] = []

    def __enter__(self) -> None:
        if self.verbose:
            return
        for handler in logging.getLogger().handlers:
            if type(handler).__name__ == "PrefectConsoleHandler":
                self.levels.append((handler, handler.level))
                handler.setLevel(logging.CRITICAL + 1)

    def __exit__(self, *exc: object) -> None:
        for handler, level in self.levels:
            handler.setLevel(level)


class _silence_shutdown_noise:
    """Prefect's background services log harmless errors at interpreter exit; keep them off stderr."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        # Prefect's queue services log under their class names ("EventsWorker - Still processing items")
        # while they drain at exit, and prefect._internal (its own level, not propagated) says "Service
        # 'EventsWorker' failed with 2 pending items" when a refused run's server is gone: noise after
        # pageclean's own one-line message or summary.
        for name in ("prefect", "prefect._internal", "prefect.server", "prefect.events", "uvicorn", "httpx",
                     "EventsWorker", "APILogWorker"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


if __name__ == "__main__":
    sys.exit(main())
