"""What one run did, as the flow, the CLI and the Prefect artifacts report it.

It lives in the library, below both the flow that fills it and ``report`` that shows it, so that
imports only point down (flows -> library -> core).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pageclean.runner import BatchReport


@dataclass(slots=True)
class RunSummary:
    run_id: str
    raw: str
    curated: str
    files: int = 0
    skipped_by_stat: int = 0
    batches: int = 0
    report: BatchReport = field(default_factory=BatchReport)
    seconds: float = 0.0
    recovered_files: int = 0
    # Ids of the processes that parsed the batches: the parallelism a run really had.
    parsed_in: set[int] = field(default_factory=set)
