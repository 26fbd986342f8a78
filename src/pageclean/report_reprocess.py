"""What a person sees after ``pageclean reprocess``: pages replaced, kept, and the values that changed most."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table

from pageclean.errors import REASONS
from pageclean.reprocess import ReprocessSummary

# Kept pages listed by path in the summary; the rest are counted (a vanished raw folder can be 10^6).
KEPT_SHOWN = 10
CHANGES_SHOWN = 10


def _outcomes(s: ReprocessSummary) -> str:
    videos = s.built.outcomes.get("video", 0)
    rejects = {k.removeprefix("reject:"): v for k, v in s.built.outcomes.items() if k.startswith("reject:")}
    text = f"{videos:,} videos, {sum(rejects.values()):,} rejects"
    return text + (f" ({', '.join(f'{k} {v:,}' for k, v in sorted(rejects.items()))})" if rejects else "")


def _lines(s: ReprocessSummary) -> list[tuple[str, str]]:
    b = s.built
    versions = ", ".join(f"{v}: {n:,}" for v, n in s.versions.most_common())
    rows = [
        ("reprocess", s.run_id),
        ("selected", f"{s.selected:,} pages: {s.criteria}" + (f" (rows by {versions})" if versions else "")),
        ("raw files", f"{s.report.pages:,} read ({s.report.bytes_read / 1e6:,.1f} MB)"),
        ("replaced", f"{len(b.replaced):,} pages: {s.changed:,} changed, {len(b.replaced) - s.changed:,} the same "
                     "apart from pipeline_version"),
        ("now", _outcomes(s)),
    ]
    if s.newer:
        rows.append(("left alone", f"{s.newer:,} pages written by a newer pageclean"))
    kept = sorted(reason for reasons in b.kept.values() for reason in reasons)
    if kept:
        shown = "; ".join(f"{path}: {why}" for path, why in kept[:KEPT_SHOWN])
        more = f"; and {len(kept) - KEPT_SHOWN:,} more" if len(kept) > KEPT_SHOWN else ""
        rows.append(("kept", f"{len(b.kept):,} pages keep their rows, their raw files gone or changed: "
                             f"{shown}{more}"))
    if b.languages:
        rows.append(("UI languages", ", ".join(f"{k} {v:,}" for k, v in b.languages.most_common(8))))
    rate = s.report.pages / s.seconds if s.seconds else 0.0
    rows.append(("time", f"{s.seconds:,.1f} s in the flow ({rate:,.1f} pages/s; {b.seconds:,.1f} s of it "
                         "rebuilding the touched folders)"))
    return rows


def render_summary(s: ReprocessSummary, wall_seconds: float | None = None) -> Group:
    head = Table.grid(padding=(0, 2))
    for label, value in _lines(s):
        if label == "time" and wall_seconds is not None:
            value += f", {wall_seconds:,.1f} s in all (with Prefect's start-up)"
        head.add_row(label, value)
    parts: list = [head]
    most = s.built.changes.most(CHANGES_SHOWN)
    if most:
        changes = Table(title="what changed most", title_justify="left", show_edge=False, show_header=False)
        changes.add_column("change")
        for _, sentence in most:
            changes.add_row(sentence)
        parts.append(changes)
    rows = Table(title=f"rows in {s.curated}", title_justify="left", show_edge=False)
    for name, justify in (("table", "left"), ("before", "right"), ("after", "right")):
        rows.add_column(name, justify=justify)  # type: ignore[arg-type]
    for table, after in s.rows_after.items():
        rows.add_row(table, f"{s.rows_before.get(table, 0):,}", f"{after:,}")
    parts.append(rows)
    return Group(*parts)


def markdown_summary(s: ReprocessSummary) -> str:
    """The reprocess summary as Markdown, for the Prefect UI (a markdown artifact)."""
    lines = [f"# pageclean reprocess `{s.run_id}`", "",
             f"- raw: `{s.raw}` → curated: `{s.curated}`"]
    lines += [f"- {label}: {value}" for label, value in _lines(s)[1:]]
    most = s.built.changes.most(CHANGES_SHOWN)
    if most:
        lines += ["", "## What changed most", "", *[f"- {sentence}" for _, sentence in most]]
    lines += ["", "| table | rows before | rows after |", "|---|---:|---:|",
              *[f"| {t} | {s.rows_before.get(t, 0):,} | {n:,} |" for t, n in s.rows_after.items()]]
    return "\n".join(lines)


def rejects_table(s: ReprocessSummary) -> list[dict[str, object]]:
    """Replaced pages that are rejects now, by reason, for the Prefect UI (a table artifact)."""
    return [{"reason": k.removeprefix("reject:"), "pages": n, "meaning": REASONS.get(k.removeprefix("reject:"), "")}
            for k, n in s.built.outcomes.most_common() if k.startswith("reject:")]
