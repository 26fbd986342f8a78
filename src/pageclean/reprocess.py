"""Re-curating pages that a newer pageclean parses better: pick them, read their raw files again, and
replace their rows in every table (issue 12). ``flows/reprocess.py`` wires these steps as a flow.

1. :func:`select_pages`: the pages (``page_id``) whose ``videos`` or ``rejects`` rows an older
   ``pipeline_version`` wrote, or every page; narrowed by a SQL condition on ``videos`` or a glob on
   ``source_path``. Rejects decided without reading a file (no ``page_id``) are the run's business.
2. :func:`plan_pages`: the raw files that held those pages, in batches (every path of one page in one
   batch, so copies of the same bytes are told apart as a run tells them).
3. ``runner.run_batch`` stages their new rows under ``_staging/<job>/``, as a run's batches are.
4. :func:`build`: for every partition folder that holds a replaced page's old rows or receives its
   new rows, the folder's new content is staged (old rows out, new rows in, untouched files kept),
   the changes are counted, and the publishing steps are committed as a PLAN (``io/swap.py``).
5. :func:`publish`: the steps run in an order that a reader can bear: the pages' ``videos`` rows are
   withdrawn first, then each other table's folders are swapped, then the new ``videos`` rows are
   added, then the run state. Every README query starts from ``videos``: during a reprocess it sees a
   page with its old rows, with its new rows, or (for a moment) not at all; never twice, and never
   an old ``videos`` row beside new comments (the page's ``videos`` row is absent while its other
   tables change). Each folder swap is atomic on a local Linux disk; see ``io/swap.py`` for the rest.

A page is replaced only when a raw file still gives its bytes; a page whose raw files are gone or
changed keeps its rows and is reported. A killed reprocess is rolled back (no PLAN yet) or finished
(PLAN written) by the next run, reprocess or compaction, through ``curated.recover``.
"""

from __future__ import annotations

import fnmatch
import itertools
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from packaging.version import InvalidVersion, Version

from pageclean import __version__
from pageclean.errors import ConfigError
from pageclean.identity import PSEUDONYM_PREFIX
from pageclean.io import curated as store
from pageclean.io import swap
from pageclean.io.fs import Root, open_root
from pageclean.io.rawstore import RawFile, discover
from pageclean.rowdiff import Changes, compare
from pageclean.runner import DEFAULT_BATCH_BYTES, BatchReport, WorkItem, pack_batches
from pageclean.schema import PARTITION_COLUMN, TABLES

# Publishing order (see the module docstring): videos rows withdrawn, the other tables swapped, the
# new videos rows added, the run state last (a page counts as curated only once its rows are in).
CHILD_TABLES = ("chapters", "links", "comments", "related_videos", "rejects")


def new_job_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"{swap.JOB_PREFIX}{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def is_older(version: str | None, current: str = __version__) -> bool:
    """Rows by ``version`` were written by an older pageclean (an unreadable version counts as older)."""
    if version == current:
        return False
    try:
        return Version(version or "") < Version(current)
    except InvalidVersion:
        return True


@dataclass(slots=True)
class Selection:
    pages: dict[str, list[str]]  # page_id -> the source paths whose rows hold it, sorted
    criteria: str  # what was asked, in words
    versions: Counter[str] = field(default_factory=Counter)  # pipeline_version of the selected pages' rows
    newer: int = 0  # pages written by a newer pageclean than this one: left alone


def select_pages(curated: str | Root, every: bool = False, where: str | None = None,
                 path_glob: str | None = None) -> Selection:
    """The pages to re-curate: by default those an older pageclean wrote; ``every`` drops that condition.

    ``where`` is a SQL condition on the ``videos`` table (polars SQL, e.g. ``ui_language = 'kk'``;
    ``scrape_date`` is a date); it selects pages that have a ``videos`` row. ``path_glob`` matches
    ``source_path`` (``*`` crosses folders: ``html/*`` is every file under ``html/``).
    """
    root = open_root(curated)
    columns = ["page_id", "source_path", "pipeline_version"]
    all_videos = _frame(root, "videos", columns)
    all_rejects = _frame(root, "rejects", columns).filter(pl.col("page_id").is_not_null())
    videos, rejects = all_videos, all_rejects
    if where is not None:
        try:
            wanted = pl.SQLContext(videos=_lazy(root, "videos")).execute(
                f"SELECT page_id FROM videos WHERE {where}").collect()
        except Exception as exc:  # polars raises its own error types for SQL and for columns
            raise ConfigError(f"--where {where!r} is not a condition on the videos table: "
                              f"{str(exc).splitlines()[0]}") from None
        ids = set(wanted["page_id"].to_list())
        videos, rejects = videos.filter(pl.col("page_id").is_in(ids)), rejects.clear()
    rows = pl.concat([videos, rejects])
    if path_glob is not None:
        rows = rows.filter(pl.col("source_path").map_elements(
            lambda p: fnmatch.fnmatchcase(p, path_glob), return_dtype=pl.Boolean))
    pages: dict[str, set[str]] = defaultdict(set)
    versions: dict[str, set[str]] = defaultdict(set)
    for page_id, _, version in rows.iter_rows():
        versions[page_id].add(version)
    newer = 0
    chosen = set()
    for page_id, found in versions.items():
        if every or any(is_older(v) for v in found):
            chosen.add(page_id)
        elif any(not is_older(v) and v != __version__ for v in found):
            newer += 1
    # every path that holds a chosen page, not only the rows that matched: its rows go together
    for page_id, path, _ in pl.concat([all_videos, all_rejects]).iter_rows():
        if page_id in chosen:
            pages[page_id].add(path)
    counted = Counter(v for page_id in chosen for v in versions[page_id])
    words = ["every page" if every else f"pages written by a pageclean older than {__version__}"]
    if where is not None:
        words.append(f"with a videos row where {where}")
    if path_glob is not None:
        words.append(f"under paths matching {path_glob!r}")
    return Selection({p: sorted(paths) for p, paths in pages.items()}, ", ".join(words), counted, newer)


@dataclass(slots=True)
class PagePlan:
    batches: list[list[WorkItem]]
    missing: set[str]  # raw paths of selected pages that are no longer in the raw folder


def plan_pages(raw: str | Root, selection: Selection, batch_size: int, processes: int = 1,
               batch_bytes: int = DEFAULT_BATCH_BYTES) -> PagePlan:
    """The raw files of the selected pages, each once, in batches of at most ``batch_size`` pages
    and ``batch_bytes`` bytes, even for ``processes`` parsing processes as a run's are
    (``runner.pack_batches``).

    Pages that share a path (a file re-scraped in place held both) and the paths of one page (copies of
    the same bytes) go into one batch, so the batch tells copies apart as a run does.
    """
    group = {page: page for page in selection.pages}

    def find(page: str) -> str:
        while group[page] != page:
            group[page] = group[group[page]]
            page = group[page]
        return page

    owner: dict[str, str] = {}
    for page, paths in selection.pages.items():
        for path in paths:
            if path in owner:
                group[find(page)] = find(owner[path])
            else:
                owner[path] = page
    paths_of: dict[str, set[str]] = defaultdict(set)
    for path, page in owner.items():
        paths_of[find(page)].add(path)
    found: dict[str, RawFile] = {f.rel: f for f in discover(raw) if f.rel in owner}
    parts = [[WorkItem(found[p]) for p in sorted(paths_of[key]) if p in found] for key in sorted(paths_of)]
    batches = pack_batches([part for part in parts if part], batch_size, batch_bytes, processes)
    return PagePlan(batches, set(owner) - set(found))


@dataclass(slots=True)
class Built:
    """What :func:`build` staged: the pages it replaces, what they became, and what changed."""

    replaced: set[str] = field(default_factory=set)
    kept: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # page_id -> (raw path, why) of a
    # page that keeps its old rows: no raw file gave its bytes back
    outcomes: Counter[str] = field(default_factory=Counter)  # "video" | "reject:<reason>" per replaced page
    languages: Counter[str] = field(default_factory=Counter)
    changes: Changes = field(default_factory=Changes)
    steps: int = 0
    seconds: float = 0.0  # staging the touched folders and counting the changes


@dataclass(slots=True)
class ReprocessSummary:
    """One reprocess, for the terminal and the Prefect UI."""

    run_id: str
    raw: str
    curated: str
    criteria: str = ""
    selected: int = 0
    versions: Counter[str] = field(default_factory=Counter)
    newer: int = 0
    batches: int = 0
    report: BatchReport = field(default_factory=BatchReport)  # what the batches read
    built: Built = field(default_factory=Built)
    rows_before: dict[str, int] = field(default_factory=dict)
    rows_after: dict[str, int] = field(default_factory=dict)
    recovered_files: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        return len(self.built.changes.pages & self.built.replaced)


def build(curated: str | Root, job_id: str, selection: Selection, plan: PagePlan) -> Built:
    """Stage the new content of every folder the replaced pages touch, count the changes, commit a PLAN."""
    started = time.monotonic()
    root = open_root(curated)
    job_dir = f"{store.STAGING_DIR}/{job_id}"
    staged = _staged_files(root, job_dir)
    state = _concat([_conformed(root, rel, store.STATE_SCHEMA) for rel in staged.get(store.STATE_DIR, [])],
                    store.STATE_SCHEMA)
    out = Built()
    got = {r["source_path"]: r for r in state.to_pylist()}
    for page_id, paths in selection.pages.items():
        why = []
        for path in paths:
            row = got.get(path)
            if path in plan.missing:
                why.append((path, "no longer in the raw folder"))
            elif row is None:
                why.append((path, "not read"))
            elif row["page_id"] == page_id:
                out.replaced.add(page_id)
            elif row["page_id"] is None:
                why.append((path, f"could not be read again ({row['outcome'].removeprefix('reject:')})"))
            else:
                why.append((path, "holds other bytes now (a re-scrape, which the next run curates)"))
        if page_id not in out.replaced:
            out.kept[page_id] = why
    replaced = pa.array(sorted(out.replaced), pa.string())
    for row in state.filter(pc.is_in(state["page_id"], replaced)).to_pylist():
        out.outcomes[row["outcome"]] += 1

    names = (f"part-{job_id}-{n:06d}.parquet" for n in itertools.count())
    swaps: dict[str, list[swap.Step]] = defaultdict(list)
    adds: list[swap.Step] = []
    carried: dict[str, list[tuple[pl.DataFrame, pl.DataFrame]]] = defaultdict(list)
    for table, schema in TABLES.items():
        folders = {d for d in root.subdirs(table) if d.startswith(f"{PARTITION_COLUMN}=")}
        folders |= {rel.split("/")[-2] for rel in staged.get(table, [])}
        for folder in sorted(folders):
            target = f"{table}/{folder}"
            here = [rel for rel in staged.get(table, []) if rel.split("/")[-2] == folder]
            new = _concat([_conformed(root, rel, schema) for rel in here], schema)
            new = new.filter(pc.is_in(new["page_id"], replaced))
            step, old = _rewrite(root, target, f"{job_dir}/swap/{target}", schema, replaced, names,
                                 extra=None if table == "videos" else new)
            if step is None and not new.num_rows:
                continue
            if table == "comments":
                _check_pseudonyms(old, new)
            if table == "videos":
                out.languages.update(v or "unknown" for v in new["ui_language"].to_pylist())
                if new.num_rows:
                    name = next(names)
                    store.write_table(root, f"{job_dir}/add/{target}/{name}", new)
                    adds.append(swap.Step("add", f"{target}/{name}", f"{job_dir}/add/{target}/{name}"))
            if step is not None:
                swaps[table].append(step)
            changes, old_only, new_only = compare(table, pl.from_arrow(old), pl.from_arrow(new), final=False)
            out.changes.merge(changes)
            if old_only.height or new_only.height:
                carried[table].append((old_only, new_only))
    for table, pairs in carried.items():  # rows whose partition changed: matched across folders
        changes, _, _ = compare(table, pl.concat([o for o, _ in pairs]), pl.concat([n for _, n in pairs]))
        out.changes.merge(changes)
    state_names = (f"seen-{job_id}-{n:06d}.parquet" for n in itertools.count())
    state_new = state.filter(pc.is_in(state["page_id"], replaced))
    state_step, _ = _rewrite(root, store.STATE_DIR, f"{job_dir}/swap/{store.STATE_DIR}", store.STATE_SCHEMA,
                             replaced, state_names, extra=state_new)
    steps = [*swaps["videos"], *(s for t in CHILD_TABLES for s in swaps[t]), *adds,
             *([state_step] if state_step else [])]
    out.steps = len(steps)
    swap.write_plan(root, job_dir, steps)
    out.seconds = time.monotonic() - started
    return out


def publish(curated: str | Root, job_id: str) -> int:
    """Run the committed PLAN's steps (see ``io/swap.py``); returns how many."""
    root = open_root(curated)
    return swap.finish(root, f"{store.STAGING_DIR}/{job_id}")


def discard(curated: str | Root, job_id: str) -> None:
    """Delete an uncommitted job's staging (a failed reprocess): nothing of it was published."""
    root = open_root(curated)
    job_dir = f"{store.STAGING_DIR}/{job_id}"
    if not root.exists(f"{job_dir}/{swap.PLAN}"):
        root.rmtree(job_dir)


def _rewrite(root: Root, target: str, stage: str, schema: pa.Schema, replaced: pa.Array, names,
             extra: pa.Table | None) -> tuple[swap.Step | None, pa.Table]:
    """Stage ``target``'s files without the replaced pages' rows (plus ``extra`` rows, in a file of their
    own); returns the swap step (None when nothing changes) and the old rows taken out."""
    files = root.glob(f"{target}/*.parquet")
    keep, gone, new, old = [], [], [], []
    for rel in files:
        name = rel.rsplit("/", 1)[-1]
        ids = _read(root, rel, ["page_id"])["page_id"]
        hit = pc.is_in(ids, replaced)
        if not pc.any(hit).as_py():
            keep.append(name)
            continue
        gone.append(name)
        table = store.conform(_read(root, rel), schema)
        old.append(table.filter(hit))
        rest = table.filter(pc.invert(hit))
        if rest.num_rows:
            new.append(next(names))
            store.write_table(root, f"{stage}/{new[-1]}", rest)
    if extra is not None and extra.num_rows:
        new.append(next(names))
        store.write_table(root, f"{stage}/{new[-1]}", extra)
    step = swap.Step("swap", target, stage, keep, new, gone) if (gone or new) else None
    return step, _concat(old, schema)


def _check_pseudonyms(old: pa.Table, new: pa.Table) -> None:
    """Refuse to put author handles where the lake holds pseudonyms (a reprocess without the key)."""
    def pseudonymized(t: pa.Table) -> bool:
        return t.num_rows > 0 and pc.any(pc.starts_with(t["author"], PSEUDONYM_PREFIX)).as_py()

    if pseudonymized(old) and new.num_rows and not pseudonymized(new):
        raise ConfigError("these pages' comments hold pseudonymized authors; reprocess them with "
                          "--pseudonymize-authors and the same PAGECLEAN_AUTHOR_KEY, or their handles "
                          "would be stored.")


def _staged_files(root: Root, job_dir: str) -> dict[str, list[str]]:
    """Table (or ``_state``) -> the job's staged files (relative to the root), from each batch's READY."""
    files: dict[str, list[str]] = defaultdict(list)
    for batch in root.subdirs(job_dir):
        if not batch.startswith("batch-"):
            continue
        if not root.exists(f"{job_dir}/{batch}/{store.READY}"):
            raise RuntimeError(f"batch {batch} of {job_dir} did not finish; the reprocess cannot be published")
        for rel in root.read_text(f"{job_dir}/{batch}/{store.READY}").splitlines():
            if rel:
                files[rel.split("/")[0]].append(f"{job_dir}/{batch}/{rel}")
    return files


def _read(root: Root, rel: str, columns: list[str] | None = None) -> pa.Table:
    """A Parquet file's ``columns`` (those it has: an older file lacks the newer ones), or all."""
    with root.open(rel, "rb") as fh:
        f = pq.ParquetFile(fh)
        return f.read(columns=None if columns is None else [c for c in columns if c in f.schema_arrow.names])


def _conformed(root: Root, rel: str, schema: pa.Schema) -> pa.Table:
    return store.conform(_read(root, rel), schema)


def _concat(tables: list[pa.Table], schema: pa.Schema) -> pa.Table:
    return pa.concat_tables(tables) if tables else schema.empty_table()


def _frame(root: Root, table: str, columns: list[str]) -> pl.DataFrame:
    """``columns`` of every file of ``table`` (files of any schema version), as one frame."""
    schema = pa.schema([TABLES[table].field(c) for c in columns])
    parts = [store.conform(_read(root, rel, columns), schema)
             for rel in root.glob(f"{table}/{PARTITION_COLUMN}=*/*.parquet")]
    return pl.from_arrow(_concat(parts, schema))


def _lazy(root: Root, table: str) -> pl.LazyFrame:
    """``table`` as a lazy frame for SQL: files of every version (missing columns null), ``scrape_date``
    as a date, and only the columns a query uses read from disk."""
    files = root.glob(f"{table}/{PARTITION_COLUMN}=*/*.parquet")
    local = root.local_path()
    if local is not None:
        paths, filesystem, base = [str(local / f) for f in files], None, str(local / table)
    else:
        from pyarrow import fs as pafs

        filesystem = pafs.PyFileSystem(pafs.FSSpecHandler(root.fs))  # type: ignore[union-attr]
        paths, base = [root.full(f) for f in files], root.full(table)  # type: ignore[union-attr]
    partition = pa.schema([(PARTITION_COLUMN, pa.date32())])
    dataset = ds.dataset(paths, schema=pa.schema([*TABLES[table], *partition]), format="parquet",
                         filesystem=filesystem, partitioning=ds.partitioning(partition, flavor="hive"),
                         partition_base_dir=base)
    return pl.scan_pyarrow_dataset(dataset)
