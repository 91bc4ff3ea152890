"""Use case: ingest files — read → extract → store, one transaction per document.

A document is stored whole or not at all: its row, sections and claims are written in one transaction, so a
run killed at any point (kill -9 included) leaves only complete documents. Extraction runs outside the write
transaction, so a slow document never holds a lock. Same bytes (sha256) → "unchanged", nothing done. A file
that fails is reported with its reason and the batch goes on. After the batch, links and assessments are
recomputed over the whole store (`reassess`).
"""
from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ..errors import ReadError
from ..model import Document
from ..read import expand_paths, read_document
from ..store.db import engine_of
from ..store.documents import save_document
from ..store.models import ClaimRow, DOC_TYPES, DocumentRow
from ..store.repo import document_by_sha, document_by_source, ensure_region
from ..store.search_index import search_index_suspended
from .. import regions
from ..metadata import DocumentMeta, infer_metadata

NEW, UPDATED, UNCHANGED, FAILED = "new", "updated", "unchanged", "failed"


@dataclass
class FileResult:
    path: str
    status: str  # new | updated (a changed version, or --force) | unchanged | failed
    claims: int = 0
    reason: str = ""
    document_id: int | None = None
    doc_type: str = ""
    region: str = ""
    year: int | None = None
    kept_human: int = 0  # human-reviewed claims kept over the new extraction
    seconds: float = 0.0
    sha256: str = ""


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    reassessed: object | None = None  # services.assessments.ReassessResult
    reassess_error: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.reassess_error

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)


Progress = Callable[[int, int, str, "FileResult | None"], None]  # (done, total, path, result or None at start)


def _reason(e: BaseException) -> str:
    if isinstance(e, ReadError):
        return e.reason
    return f"{type(e).__name__}: {e}"


def extract_document(doc: Document, meta: DocumentMeta):
    """Structure and claims of a document, read with the metadata that will be stored with it."""
    from ..claims import extract_claims
    from ..context import infer_context
    from ..structure import structure

    # the stored metadata (inferred from the title block, or given) is what the claims are read by
    ctx = infer_context(doc, doc_type=meta.doc_type, region=meta.region, year=meta.year)
    st = structure(doc)
    return st, extract_claims(doc, st, ctx)


def _resolver():
    try:
        from ..indicators import resolve_indicator
    except ImportError:  # the indicator catalog is optional for storing claims
        return None
    return resolve_indicator


def _region_row(session: Session, name: str, depth: int = 0):
    """The region row of `name`, its parents (南昌县 → 南昌市 → 江西省) created with their levels too."""
    if not name:
        return None
    level, parent = regions.info(name)
    parent_row = _region_row(session, parent, depth + 1) if parent and depth < 5 else None
    row = ensure_region(session, name, level=level)
    if parent_row is not None and row.parent is None:
        row.parent = parent_row
    return row


@dataclass
class Prepared:
    """A file read and extracted, ready to store: what a worker process hands back to the writer."""
    doc: Document
    meta: DocumentMeta
    sections: list
    claims: list


def _check_type(doc_type: str | None) -> None:
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise ValueError(f"unknown document type {doc_type!r} (one of {', '.join(DOC_TYPES)})")


def prepare_file(path: str | Path, *, doc_type: str | None = None, region: str | None = None,
                 year: int | None = None, known: frozenset[str] | set[str] = frozenset(),
                 force: bool = False) -> "Prepared | FileResult":
    """Read and extract one file, without a database (runs in worker processes).

    Returns a `FileResult` instead when there is nothing to store: `failed` with its reason, or `unchanged`
    (without extracting) when its sha256 is in `known` and not `force` — the writer then looks it up.
    """
    t0 = time.perf_counter()
    res = FileResult(path=str(path), status=FAILED)
    try:
        _check_type(doc_type)
        doc = read_document(path)
        res.sha256 = doc.sha256
        if doc.sha256 in known and not force:
            res.status = UNCHANGED
            return res
        return _prepare_read(doc, path, doc_type=doc_type, region=region, year=year)
    except Exception as e:  # a bad file must not stop the batch
        res.reason = _reason(e)
        return res
    finally:
        res.seconds = time.perf_counter() - t0


def _prepare_read(doc: Document, path: str | Path, **given) -> Prepared:
    meta = infer_metadata(doc, **given)
    st, claims = extract_document(doc, meta)
    doc = replace(doc, source=str(Path(path).resolve()))  # the file's identity across versions: its absolute path
    return Prepared(doc=doc, meta=meta, sections=list(st.sections), claims=list(claims))


def _unchanged(s: Session, res: FileResult, known: DocumentRow) -> FileResult:
    res.status, res.document_id = UNCHANGED, known.id
    res.doc_type, res.region, res.year = known.doc_type, known.region_name, known.year
    res.claims = s.scalar(select(func.count()).where(ClaimRow.document_id == known.id))
    return res


def store_prepared(factory: sessionmaker[Session], prepared: Prepared, res: FileResult,
                   attempts: int = 3) -> FileResult:
    """Write a prepared document in one transaction (the writer side of `prepare_file`).

    Concurrent writers (several `planwatch worker`s or ingests on one PostgreSQL) may create the same region or
    indicator row, or store the same bytes, at the same moment: the loser's transaction fails on the unique key
    and is rolled back whole, then tried again — it then finds the row the other one committed (the same bytes
    already stored → `unchanged`).
    """
    from sqlalchemy.exc import IntegrityError

    for attempt in range(attempts):
        try:
            return _store_once(factory, prepared, res, retry=attempt > 0)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    return res


def _store_once(factory: sessionmaker[Session], prepared: Prepared, res: FileResult, retry: bool) -> FileResult:
    doc, meta = prepared.doc, prepared.meta
    if retry:
        with factory() as s:
            known = document_by_sha(s, doc.sha256)
            if known is not None:  # stored by a concurrent writer meanwhile
                return _unchanged(s, res, known)
    with factory.begin() as s:
        # Looked up again inside the write transaction: another ingest may have stored it meanwhile.
        previous = document_by_sha(s, doc.sha256) or document_by_source(s, doc.source)
        region_row = _region_row(s, meta.region)
        saved = save_document(
            s, doc, prepared.claims, doc_type=meta.doc_type, region=region_row, year=meta.year,
            sections=prepared.sections, previous=previous, resolve=_resolver(), metadata_source=meta.decided,
        )
        res.status = UPDATED if previous is not None else NEW
        res.document_id, res.claims, res.kept_human = saved.document.id, saved.claims, saved.kept_human
        res.doc_type, res.region, res.year = meta.doc_type, meta.region, meta.year
    return res


def ingest_file(factory: sessionmaker[Session], path: str | Path, *, doc_type: str | None = None,
                region: str | None = None, year: int | None = None, force: bool = False) -> FileResult:
    """Ingest one file. Never raises for a bad file: the result says `failed` and why."""
    t0 = time.perf_counter()
    res = FileResult(path=str(path), status=FAILED)
    try:
        _check_type(doc_type)
        doc = read_document(path)
        with factory() as s:
            known = document_by_sha(s, doc.sha256)
            if known is not None and not force:
                return _unchanged(s, res, known)
        res.sha256 = doc.sha256
        store_prepared(factory, _prepare_read(doc, path, doc_type=doc_type, region=region, year=year), res)
    except Exception as e:  # a bad file must not stop the batch; KeyboardInterrupt still does
        res.status, res.reason = FAILED, _reason(e)
    finally:
        res.seconds = time.perf_counter() - t0
    return res


def _finish(factory: sessionmaker[Session], item: "Prepared | FileResult", path: Path) -> FileResult:
    """Writer side of a parallel ingest: store what a worker prepared, or settle what it reported."""
    t0 = time.perf_counter()
    if isinstance(item, FileResult):
        if item.status != UNCHANGED:
            return item
        res = item
    else:
        res = FileResult(path=str(path), status=FAILED, sha256=item.doc.sha256)
    try:
        if isinstance(item, Prepared):
            store_prepared(factory, item, res)
        else:
            with factory() as s:
                known = document_by_sha(s, item.sha256)
                if known is None:  # deleted meanwhile: read it again in the writer
                    return ingest_file(factory, path)
                _unchanged(s, res, known)
    except Exception as e:
        res.status, res.reason = FAILED, _reason(e)
    res.seconds += time.perf_counter() - t0
    return res


def _known_shas(factory: sessionmaker[Session]) -> frozenset[str]:
    with factory() as s:
        return frozenset(s.scalars(select(DocumentRow.sha256)))


_KNOWN: frozenset[str] = frozenset()  # in a worker process: sha256 of the documents stored when the batch began


def _init_worker(known: frozenset[str]) -> None:
    global _KNOWN
    _KNOWN = known


def _prepare_in_worker(path: Path, **opts) -> "Prepared | FileResult":
    return prepare_file(path, known=_KNOWN, **opts)


def _ingest_parallel(factory: sessionmaker[Session], files: list[Path], jobs: int, report: IngestReport,
                     progress: Progress | None, **opts) -> None:
    """Extraction in `jobs` worker processes, storage here (one writer, one transaction per document).

    At most `4 × jobs` documents are in flight, so memory stays bounded however slow the store is;
    results are stored in the order of `files`.
    """
    import collections
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    known = frozenset() if opts.get("force") else _known_shas(factory)
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                                      else "spawn")
    window: collections.deque = collections.deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                             initargs=(known,)) as pool:
        it = iter(enumerate(files))
        done = 0

        def submit() -> bool:
            nxt = next(it, None)
            if nxt is None:
                return False
            i, f = nxt
            window.append((f, pool.submit(_prepare_in_worker, f, **opts)))
            return True

        while len(window) < 4 * jobs and submit():
            pass
        while window:
            f, fut = window.popleft()
            if progress:
                progress(done, len(files), str(f), None)
            try:
                item = fut.result()
            except Exception as e:  # a worker died (killed, out of memory): that file failed, the rest goes on
                item = FileResult(path=str(f), status=FAILED, reason=f"worker process failed: {_reason(e)}")
            r = _finish(factory, item, f)
            report.files.append(r)
            done += 1
            if progress:
                progress(done, len(files), str(f), r)
            submit()


BULK_MIN_FILES = 500  # below this a bulk load saves less than rebuilding the search index costs


def bulk_worthwhile(factory: sessionmaker[Session], files: int) -> bool:
    """Suspend the search index (store/search_index.py) for a batch of `files`? On PostgreSQL, when the batch is
    large and at least half the size of the ledger: rebuilding costs about what is stored, keeping the index up
    to date costs more per document the larger it is."""
    if engine_of(factory).dialect.name != "postgresql" or files < BULK_MIN_FILES:
        return False
    with factory() as s:
        return files * 2 >= (s.scalar(select(func.count()).select_from(DocumentRow)) or 0)


def ingest_paths(factory: sessionmaker[Session], paths: Sequence[str | Path], *, doc_type: str | None = None,
                 region: str | None = None, year: int | None = None, force: bool = False,
                 as_of: int | None = None, reassess: bool = True, progress: Progress | None = None,
                 jobs: int = 1, bulk: bool | None = None) -> IngestReport:
    """Ingest files and folders (recursively); then recompute links and assessments if anything changed.

    `jobs` > 1 extracts in that many worker processes while this process stores (one writer). `bulk` drops
    the PostgreSQL search index during the load and builds it after (None: when `bulk_worthwhile`).
    """
    t0 = time.perf_counter()
    report = IngestReport()
    files = expand_paths(paths)
    if bulk is None:
        bulk = bulk_worthwhile(factory, len(files))
    with search_index_suspended(engine_of(factory)) if bulk else nullcontext():
        _ingest_files(factory, files, report, progress, jobs, doc_type=doc_type, region=region, year=year,
                      force=force)
    if reassess and any(r.status in (NEW, UPDATED) for r in report.files):
        from .assessments import reassess as run_reassess

        try:
            with factory.begin() as s:
                report.reassessed = run_reassess(s, as_of)
        except Exception as e:  # stored documents stay stored; say why the ledger was not refreshed
            report.reassess_error = _reason(e)
    report.seconds = time.perf_counter() - t0
    return report


def _ingest_files(factory: sessionmaker[Session], files: list[Path], report: IngestReport,
                  progress: Progress | None, jobs: int, **opts) -> None:
    if jobs > 1 and len(files) > 1:
        _ingest_parallel(factory, files, jobs, report, progress, **opts)
        return
    for i, f in enumerate(files):
        if progress:
            progress(i, len(files), str(f), None)
        r = ingest_file(factory, f, **opts)
        report.files.append(r)
        if progress:
            progress(i + 1, len(files), str(f), r)
