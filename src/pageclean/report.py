"""What a person sees: the progress bar during a run and the summary at its end."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from pageclean.errors import REASONS
from pageclean.io.curated import count_rows
from pageclean.summary import RunSummary


class ProgressBar:
    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]curating"), BarColumn(), MofNCompleteColumn(), TextColumn("pages"),
            TimeRemainingColumn(), console=console, transient=True,
        )
        self._task = None

    def update(self, stage: str, done: int, total: int) -> None:
        if self._task is None:
            self._progress.start()
            self._task = self._progress.add_task(stage, total=total)
        self._progress.update(self._task, completed=done, total=total)

    def stop(self) -> None:
        self._progress.stop()


def render_summary(summary: RunSummary, curated: str | Path, wall_seconds: float | None = None) -> Group:
    r = summary.report
    rejected = sum(r.rejected.values())
    rate = r.pages / summary.seconds if summary.seconds else 0.0
    head = Table.grid(padding=(0, 2))
    head.add_row("run", summary.run_id)
    head.add_row("raw files", f"{summary.files:,} ({summary.skipped_by_stat:,} unchanged, not read)")
    head.add_row("pages read", f"{r.pages:,} ({r.bytes_read / 1e6:,.1f} MB)")
    warned = f" ({r.warnings:,} warning{'' if r.warnings == 1 else 's'}, see videos.warnings)" if r.warnings else ""
    head.add_row("accepted", f"{r.accepted:,}{warned}")
    head.add_row("rejected", f"{rejected:,}")
    if r.unchanged:
        head.add_row("already curated", f"{r.unchanged:,} (same bytes as an earlier run)")
    if r.still_rejected:
        head.add_row("still rejected", f"{r.still_rejected:,} (read again, rejected for the same reason: no new row)")
    if r.languages:
        head.add_row("UI languages", ", ".join(f"{k} {v}" for k, v in r.languages.most_common(8)))
    timing = f"{summary.seconds:,.1f} s in the flow ({rate:,.1f} pages/s{_processes(summary)})"
    if wall_seconds is not None:
        timing += f", {wall_seconds:,.1f} s in all (with Prefect's start-up)"
    head.add_row("time", timing)

    parts: list = [head]
    if r.rejected:
        rej = Table(title="rejected, by reason", title_justify="left", show_edge=False)
        rej.add_column("reason")
        rej.add_column("pages", justify="right")
        rej.add_column("meaning")
        for reason, n in r.rejected.most_common():
            rej.add_row(reason, f"{n:,}", REASONS.get(reason, ""))
        parts.append(rej)
    rows = Table(title=f"rows in {curated}", title_justify="left", show_edge=False)
    rows.add_column("table")
    rows.add_column("added", justify="right")
    rows.add_column("total", justify="right")
    totals = count_rows(curated)
    for table, total in totals.items():
        rows.add_row(table, f"{r.rows.get(table, 0):,}", f"{total:,}")
    parts.append(rows)
    return Group(*parts)


def markdown_summary(summary: RunSummary) -> str:
    """The run's summary as Markdown, for the Prefect UI (a markdown artifact)."""
    r = summary.report
    lines = [
        f"# pageclean run `{summary.run_id}`",
        "",
        f"- raw: `{summary.raw}` → curated: `{summary.curated}`",
        f"- files: {summary.files:,} ({summary.skipped_by_stat:,} unchanged since the last run, not read)",
        f"- pages read: {r.pages:,} ({r.bytes_read / 1e6:,.1f} MB) in {summary.batches} batches",
        f"- accepted: {r.accepted:,}; rejected: {sum(r.rejected.values()):,}; already curated: {r.unchanged:,}",
        f"- warnings on accepted pages: {r.warnings:,}",
        f"- time in the flow: {summary.seconds:,.1f} s{_processes(summary)}",
        "",
        "| table | rows added |",
        "|---|---:|",
        *[f"| {t} | {r.rows.get(t, 0):,} |" for t in ("videos", "chapters", "links", "comments",
                                                     "related_videos", "rejects")],
    ]
    if r.languages:
        lines += ["", "UI languages: " + ", ".join(f"`{k}` {v:,}" for k, v in r.languages.most_common())]
    return "\n".join(lines)


def _processes(summary: RunSummary) -> str:
    n = len(summary.parsed_in)
    return f", parsed in {n} processes" if n > 1 else ""


def rejects_table(summary: RunSummary) -> list[dict[str, object]]:
    """Rejects by reason, for the Prefect UI (a table artifact)."""
    return [{"reason": reason, "pages": n, "meaning": REASONS.get(reason, "")}
            for reason, n in summary.report.rejected.most_common()]
