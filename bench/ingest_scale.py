"""Ingest at scale: a synthetic corpus (bench/corpus.py) into SQLite and PostgreSQL with extraction in a process
pool (`ingest_paths(jobs=N)`: workers read and extract, this process stores one transaction per document).

Prints, per backend: documents/s, chars/s, wall time, peak memory of the writer and of the workers, claims
stored, and the ratio to a reference run in the same process (extraction alone, no storage, same pool);
then whether the target (10,000 documents in < 15 min on 2 cores) is met — extrapolated linearly when fewer
documents were run, and said so.

    .venv/bin/python bench/ingest_scale.py [--docs 10000] [--chars 30000] [--jobs 2] [--corpus DIR]
        [--backends sqlite,postgres] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--reassess]

PostgreSQL: --pg (or $PLANWATCH_TEST_PG) names the server; a database planwatch_bench_<hex> is created and
dropped afterwards (--keep keeps it). A benchmark, not a test.
"""
from __future__ import annotations

import argparse
import os
import resource
import secrets
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_DOCS, TARGET_SECONDS = 10_000, 15 * 60


def peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest finished child (Linux: ru_maxrss in KiB)."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def _extract_only(path: str) -> tuple[int, int]:
    from planwatch.services.ingest import FileResult, prepare_file

    r = prepare_file(path)
    if isinstance(r, FileResult):
        return 0, 0
    return len(r.doc.text), len(r.claims)


def reference(files: list[Path], jobs: int) -> dict:
    """Extraction alone (read → structure → claims) over the same files and the same pool size, no storage."""
    t0 = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        out = list(pool.map(_extract_only, map(str, files), chunksize=16))
    s = time.perf_counter() - t0
    return {"docs": len(files), "chars": sum(c for c, _ in out), "claims": sum(n for _, n in out), "seconds": s}


def run_backend(name: str, url: str, files: list[Path], jobs: int, reassess: bool) -> dict:
    from sqlalchemy import func, select

    from planwatch.services.ingest import ingest_paths
    from planwatch.store import ClaimRow, DocumentRow, engine_of, open_db

    factory = open_db(url)
    last = [time.perf_counter()]

    def progress(done: int, total: int, path: str, result) -> None:
        if result is not None and (done % 1000 == 0 or done == total):
            now = time.perf_counter()
            print(f"  {name}: {done:,}/{total:,}  ({now - last[0]:.1f} s for the last batch)", flush=True)
            if done == total and bulk:
                print(f"  {name}: building the search index …", flush=True)
            last[0] = now

    from planwatch.services.ingest import bulk_worthwhile

    bulk = bulk_worthwhile(factory, len(files))
    print(f"  {name}: bulk load (search index dropped, built once at the end, inside the timing): "
          f"{'yes' if bulk else 'no'}", flush=True)
    t0 = time.perf_counter()
    report = ingest_paths(factory, files, jobs=jobs, reassess=False, progress=progress, bulk=bulk)
    wall = time.perf_counter() - t0
    with factory() as s:
        docs = s.scalar(select(func.count()).select_from(DocumentRow))
        claims = s.scalar(select(func.count()).select_from(ClaimRow))
        chars = s.scalar(select(func.sum(func.length(DocumentRow.text))))
    res = {"backend": name, "wall": wall, "docs": docs, "claims": claims, "chars": int(chars or 0),
           "new": report.count("new"), "failed": [(f.path, f.reason) for f in report.failed]}
    if reassess:
        from planwatch.services.assessments import reassess as run_reassess

        t0 = time.perf_counter()
        with factory.begin() as s:
            r = run_reassess(s, None)
        res["reassess"] = (time.perf_counter() - t0, r.links, r.assessments)
    engine_of(factory).dispose()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--chars", type=int, default=30_000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, help="corpus folder (made by bench/corpus.py when empty or missing)")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--pg", default=os.environ.get("PLANWATCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--reference-docs", type=int, default=500, help="documents in the extraction-only reference run")
    ap.add_argument("--reassess", action="store_true", help="also time link + assess over the whole store")
    ap.add_argument("--keep", action="store_true", help="keep the databases")
    a = ap.parse_args()

    from corpus import make_corpus

    work = Path(tempfile.mkdtemp(prefix="pw-scale-"))
    folder = a.corpus or work / "corpus"
    if not folder.exists() or not any(folder.glob("*.txt")):
        r = make_corpus(folder, a.docs, a.chars, a.seed, samples=0, jobs=a.jobs)
        print(f"corpus: {r['docs']:,} docs, {r['chars']:,} chars, {r['bytes'] / 1e6:,.0f} MB, made in {r['seconds']:.1f} s")
    files = sorted(folder.glob("*.txt"))[: a.docs]
    if len(files) < a.docs:
        print(f"note: the corpus has {len(files):,} documents, fewer than --docs {a.docs:,}")
    n = len(files)
    print(f"machine: {os.cpu_count()} cores · jobs {a.jobs} · {n:,} documents")

    ref = reference(files[: a.reference_docs], a.jobs)
    ref_rate = ref["docs"] / ref["seconds"]
    print(f"reference (extraction alone, {a.jobs} workers, {ref['docs']} docs): {ref_rate:,.1f} docs/s, "
          f"{ref['chars'] / ref['seconds']:,.0f} chars/s, {ref['claims'] / ref['docs']:.0f} claims/doc")

    results = []
    for backend in [b.strip() for b in a.backends.split(",") if b.strip()]:
        if backend == "sqlite":
            url = f"sqlite:///{work / 'bench.db'}"
        else:
            from sqlalchemy.engine import make_url

            from planwatch.store import create_database

            u = make_url(a.pg).set(drivername="postgresql+psycopg", database=f"planwatch_bench_{secrets.token_hex(4)}")
            try:
                create_database(u)
            except Exception as e:  # no server: say so and go on with the other backends
                print(f"{backend}: skipped, cannot create a database on {a.pg}: {e}")
                continue
            url = u.render_as_string(hide_password=False)
        try:
            r = run_backend(backend, url, files, a.jobs, a.reassess)
        finally:
            if not a.keep:
                from planwatch.store import drop_database

                drop_database(url)
            else:
                print(f"  kept: {url}  (e.g. bench/web_load.py --db '{url}')", flush=True)
        results.append(r)
        me, kids = peak_mb()
        rate = r["docs"] / r["wall"]
        print(f"\n{backend}: {r['docs']:,} documents, {r['claims']:,} claims, {r['chars']:,} chars "
              f"in {r['wall']:.1f} s")
        print(f"  {rate:,.1f} docs/s · {r['chars'] / r['wall']:,.0f} chars/s · {r['claims'] / r['wall']:,.0f} claims/s")
        print(f"  peak memory: writer {me:,.0f} MB, largest worker {kids:,.0f} MB (ru_maxrss)")
        print(f"  ratio to extraction alone: {rate / ref_rate:.0%} of its docs/s "
              f"(storage costs {r['wall'] - n / ref_rate:.1f} s of the {r['wall']:.1f} s)")
        if r["failed"]:
            print(f"  failed: {len(r['failed'])}, e.g. {r['failed'][0]}")
        if "reassess" in r:
            s, links, assessments = r["reassess"]
            print(f"  link + assess over the store: {s:.1f} s ({links:,} links, {assessments:,} assessments)")
        projected = r["wall"] * TARGET_DOCS / max(r["docs"], 1)
        how = "measured" if r["docs"] >= TARGET_DOCS else f"extrapolated linearly from {r['docs']:,}"
        print(f"  target {TARGET_DOCS:,} docs < {TARGET_SECONDS / 60:.0f} min: {projected / 60:.1f} min ({how}) → "
              f"{'met' if projected < TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
