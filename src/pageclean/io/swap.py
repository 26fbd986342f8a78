"""Publishing a job that rewrites partition folders: each folder's new content swapped in whole, in one step.

A reprocess replaces some pages' rows inside files that also hold pages it keeps. Adding the new
files first would show those rows twice; deleting the old files first would hide the kept pages. So
the job stages each affected folder's new content beside the old one (files it keeps are hard-linked,
rewritten files are new) and swaps the two folders (Linux ``renameat2`` with ``RENAME_EXCHANGE``): a
reader lists either the old folder's files or the new folder's, never a mix. A query that listed the
old files and opens one after the swap gets "file not found" (rewritten files have new names), never
a mixed answer; it can be run again.

Where the kernel or filesystem cannot swap (macOS, NFS), the folder is renamed aside and the new one
renamed in: for a moment the partition is missing (rows absent, never twice). On object stores there
are no folders to rename: the replaced files are deleted, then the new ones copied in, with the same
"absent, never twice" window per file.

The job's steps are listed in ``PLAN``, written last and atomically: it is the commit point. A job
without a PLAN is deleted by :func:`finish` (roll back: nothing was published); a job with one is
finished (roll forward). Each step is idempotent: it compares the target folder's file names with
the names it expects before and after, so a step that a crash interrupted is completed, and a step
already done is skipped.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from pageclean.io import durable
from pageclean.io.fs import Root

PLAN = "PLAN"
# Staging folders of jobs published by this module (and not by ``curated.publish``).
JOB_PREFIX = "reprocess-"


@dataclass(slots=True)
class Step:
    """One publishing step, relative to the curated root.

    ``swap``: ``target`` folder's files become ``keep`` (files already there) plus the files staged
    in ``staged``; every other file in it goes. ``add``: the file ``staged`` moves to ``target``.
    """

    kind: str  # "swap" | "add"
    target: str
    staged: str
    keep: list[str] = field(default_factory=list)  # file names in target that stay (swap)
    new: list[str] = field(default_factory=list)  # file names staged for target (swap)
    gone: list[str] = field(default_factory=list)  # file names in target that go (swap)


def is_job(name: str) -> bool:
    return name.startswith(JOB_PREFIX)


def write_plan(root: Root, job_dir: str, steps: list[Step]) -> None:
    """Commit the job: after this, :func:`finish` completes it whatever happens."""
    root.write_text(f"{job_dir}/{PLAN}", json.dumps([asdict(s) for s in steps], indent=0))


def finish(root: Root, job_dir: str) -> int:
    """Roll a job forward (it has a PLAN) or back (it has none); returns the steps applied."""
    if not root.exists(f"{job_dir}/{PLAN}"):
        root.rmtree(job_dir)
        return 0
    steps = [Step(**s) for s in json.loads(root.read_text(f"{job_dir}/{PLAN}"))]
    for step in steps:
        (_swap if step.kind == "swap" else _add)(root, step)
    root.rmtree(job_dir)  # the old content of swapped folders (now under staging) goes with it
    return len(steps)


def _names(root: Root, folder: str) -> set[str]:
    return {rel.rsplit("/", 1)[-1] for rel in root.glob(f"{folder}/*.parquet")}


def _swap(root: Root, step: Step) -> None:
    current = _names(root, step.target)
    if set(step.new) <= current and not (set(step.gone) & current):
        return  # done before a crash
    local = root.local_path()
    if local is None:
        _swap_files(root, step, current)
        return
    target, staged = local / step.target, local / step.staged
    if not target.is_dir():  # a new partition, or the fallback below was cut between its renames
        durable.makedirs(target.parent)
        durable.replace(staged, target)
        return
    durable.makedirs(staged)
    for name in step.keep:  # the kept files, by hard link: no bytes copied, same file for readers
        if not (staged / name).exists():
            os.link(target / name, staged / name)
    durable.fsync_path(staged)
    if durable.exchange(staged, target):
        return
    aside = staged.with_name(staged.name + ".old")  # no atomic swap here: missing for a moment
    durable.replace(target, aside)
    durable.replace(staged, target)


def _swap_files(root: Root, step: Step, current: set[str]) -> None:
    """Object stores: delete what goes, then copy in what comes (absent for a moment, never twice)."""
    for name in step.gone:
        if name in current:
            root.remove(f"{step.target}/{name}")
    for name in step.new:
        if name not in current:
            root.move(f"{step.staged}/{name}", f"{step.target}/{name}")


def _add(root: Root, step: Step) -> None:
    if root.exists(step.staged):
        root.move(step.staged, step.target)
