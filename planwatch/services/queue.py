"""Use case: an ingest job queue in the database, so that ingest spreads over processes and machines.

`enqueue(factory, paths)` records one job per file (a path every worker can read: a shared disk or mount);
`work(factory)` takes jobs one at a time and ingests each with `ingest_file` — read → extract → store in one
transaction — until the queue is empty (or forever, polling, with `wait=True`).

PostgreSQL (the shared store of a multi-worker deployment): a worker claims a job with
`SELECT … FOR UPDATE SKIP LOCKED` and keeps that row lock until the job's result is written, so
- two workers never take the same job (the second skips the locked row and takes the next one);
- a worker killed mid-job (kill -9, a lost machine) drops its connection, the lock goes with it, and the job
  is still `queued` for the next worker; re-ingesting it is safe (same sha256 → `unchanged`, and a document is
  stored whole or not at all).
SQLite (one machine): a job is claimed by an atomic `UPDATE … SET status='running'`; a job a killed worker left
`running` is put back with `requeue_running()` (`planwatch worker --requeue`).

The `ingest_job` table (store.models.IngestJobRow, migration c5e2f8a1d3b7) is operational state, not part of
the ledger: it can be emptied at any time (`clear_finished`). Links and assessments are not recomputed per
job: run `planwatch assess` once the queue is drained (or `work(..., reassess=True)` in a single worker).
"""
from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from sqlalchemy import Engine, func, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from ..read import expand_paths
from ..store.models import IngestJobRow
from .ingest import FAILED, FileResult, ingest_file

QUEUED, RUNNING, DONE = "queued", "running", "done"
_LOCK = 0x706C7175  # "plqu": serializes concurrent enqueuers on PostgreSQL

ingest_job = IngestJobRow.__table__


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _engine(factory: sessionmaker[Session]) -> Engine:
    return factory.kw["bind"]


def enqueue(factory: sessionmaker[Session], paths: Sequence[str | Path], *, doc_type: str | None = None,
            region: str | None = None, year: int | None = None, force: bool = False) -> tuple[int, int]:
    """Queue one job per file (folders expanded); a file already queued is not queued twice.

    Returns (jobs added, files already queued). Paths are stored absolute: workers must see the same files.
    """
    files = [str(Path(f).resolve()) for f in expand_paths(paths)]
    options = {k: v for k, v in dict(doc_type=doc_type, region=region, year=year, force=force).items() if v}
    with _engine(factory).begin() as conn:
        if conn.dialect.name == "postgresql":  # two enqueuers at once must not both add the same path
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})
        pending = set(conn.scalars(select(ingest_job.c.path).where(ingest_job.c.status.in_((QUEUED, RUNNING)))))
        new = list(dict.fromkeys(f for f in files if f not in pending))
        if new:
            conn.execute(insert(ingest_job), [{"path": f, "options": options, "status": QUEUED, "result": "",
                                               "reason": "", "attempts": 0, "worker": "", "enqueued_at": _now()}
                                              for f in new])
    return len(new), len(files) - len(new)


@dataclass
class WorkReport:
    worker: str
    files: list[FileResult] = field(default_factory=list)
    job_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    reassessed: object | None = None

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _finish(conn, job_id: int, res: FileResult, worker: str) -> None:
    conn.execute(update(ingest_job).where(ingest_job.c.id == job_id).values(
        status=FAILED if res.status == FAILED else DONE, result=res.status, reason=res.reason,
        document_id=res.document_id, claims=res.claims, attempts=ingest_job.c.attempts + 1, worker=worker,
        finished_at=_now()))


def _run_job(factory, row) -> FileResult:
    opts = dict(row.options or {})
    return ingest_file(factory, row.path, doc_type=opts.get("doc_type"), region=opts.get("region"),
                       year=opts.get("year"), force=bool(opts.get("force")))


def _take_postgres(factory, worker: str) -> tuple[int, FileResult] | None:
    """Claim the oldest queued job under a row lock held until its result is written."""
    with _engine(factory).connect() as conn:
        with conn.begin():
            row = conn.execute(select(ingest_job).where(ingest_job.c.status == QUEUED).order_by(ingest_job.c.id)
                               .limit(1).with_for_update(skip_locked=True)).first()
            if row is None:
                return None
            res = _run_job(factory, row)  # its own connection and transaction; this one keeps the lock
            _finish(conn, row.id, res, worker)
            return row.id, res


def _take_sqlite(factory, worker: str) -> tuple[int, FileResult] | None:
    engine = _engine(factory)
    with engine.begin() as conn:
        first = select(ingest_job.c.id).where(ingest_job.c.status == QUEUED).order_by(ingest_job.c.id).limit(1)
        job_id = conn.scalar(first)
        if job_id is None:
            return None
        taken = conn.execute(update(ingest_job).where(ingest_job.c.id == job_id, ingest_job.c.status == QUEUED)
                             .values(status=RUNNING, worker=worker)).rowcount
    if not taken:
        return _take_sqlite(factory, worker)
    with engine.connect() as conn:
        row = conn.execute(select(ingest_job).where(ingest_job.c.id == job_id)).first()
    res = _run_job(factory, row)
    with engine.begin() as conn:
        _finish(conn, job_id, res, worker)
    return job_id, res


def work(factory: sessionmaker[Session], *, worker: str | None = None, wait: bool = False, poll: float = 2.0,
         max_jobs: int | None = None, reassess: bool = False,
         progress: Callable[[int, FileResult], None] | None = None) -> WorkReport:
    """Take and ingest jobs until the queue is empty (`wait`: keep polling every `poll` s) or `max_jobs` done."""
    report = WorkReport(worker=worker or default_worker_name())
    t0 = time.perf_counter()
    take = _take_postgres if _engine(factory).dialect.name == "postgresql" else _take_sqlite
    while max_jobs is None or len(report.files) < max_jobs:
        got = take(factory, report.worker)
        if got is None:
            if not wait:
                break
            time.sleep(poll)
            continue
        job_id, res = got
        report.job_ids.append(job_id)
        report.files.append(res)
        if progress:
            progress(job_id, res)
    if reassess and any(r.status in ("new", "updated") for r in report.files):
        from .assessments import reassess as run_reassess

        with factory.begin() as s:
            report.reassessed = run_reassess(s, None)
    report.seconds = time.perf_counter() - t0
    return report


def requeue_running(factory: sessionmaker[Session]) -> int:
    """Put back jobs left `running` (SQLite: by a worker that was killed). Returns how many."""
    with _engine(factory).begin() as conn:
        return conn.execute(update(ingest_job).where(ingest_job.c.status == RUNNING)
                            .values(status=QUEUED, worker="")).rowcount


def queue_counts(factory: sessionmaker[Session]) -> dict[str, int]:
    with _engine(factory).connect() as conn:
        return dict(conn.execute(select(ingest_job.c.status, func.count()).group_by(ingest_job.c.status)).all())


def clear_finished(factory: sessionmaker[Session]) -> int:
    """Delete the jobs that are done or failed. Returns how many."""
    with _engine(factory).begin() as conn:
        return conn.execute(ingest_job.delete().where(ingest_job.c.status.in_((DONE, FAILED)))).rowcount
