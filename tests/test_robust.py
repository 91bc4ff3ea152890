"""Robustness: fuzzed input never crashes read → structure → claims; a batch of hostile files (truncated and
encrypted PDFs, a PDF of images only, a DOCX zip bomb, a 200 MB text file, binary junk named .txt, a file in two
encodings) ingests next to a good document — the good one stored, each bad one reported with its reason —
through ingest_paths (one process and a worker pool) and through the CLI; ingest spread over queue workers on
PostgreSQL stores every document once, even when a worker is killed mid-job; two editors in two processes
changing the same claim: the second is told of the conflict.

Kill -9 during a plain ingest is tested in test_ingest.py on both backends; stale edits within one process in
test_review.py. CI runs a bounded number of fuzz examples; bench/fuzz.py runs 100,000.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select, text

from planwatch.claims import extract_claims
from planwatch.errors import ReadError
from planwatch.read import read_bytes, read_document
from planwatch.services.ingest import ingest_paths
from planwatch.store import ClaimRow, DocumentRow, engine_of, open_db
from planwatch.structure import structure

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "nanchang" / "001_d698cca8952d26ee.txt"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

# ---- fuzz: read_bytes → structure → extract_claims never raises anything but ReadError ------------------

# Characters the extractor reacts to: numerals, units, hedges, section markers, punctuation, table tabs.
ALPHABET = ("0123456789.%-~:：，。；、（）()[]【】\t\n 　一二三四五六七八九十百千万亿两〇第章节篇表专栏"
            "年月日元个家亿元万元公里亩吨人增长下降左右以上以内不低于力争确保预计累计年均全市南昌县青山湖区"
            "地区生产总值规模以上工业增加值比上年目标主要指标工作回顾工作安排")
FUZZ = settings(max_examples=int(os.environ.get("PLANWATCH_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow], database=None)


def _pipeline(data: bytes, name: str) -> None:
    try:
        doc = read_bytes(data, name)
    except ReadError as e:
        assert e.reason and name in str(e)
        return
    claims = extract_claims(doc, structure(doc))
    for c in claims:
        assert doc.original[c.start:c.end] == c.quote, (c.start, c.end, c.quote)


@FUZZ
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_fuzz_text_through_the_pipeline(s):
    _pipeline(s.encode("utf-8"), "fuzz.txt")


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(["x.txt", "x.pdf", "x.docx", "x.html", "x.bin"]))
def test_fuzz_bytes_never_crash_a_reader(data, name):
    _pipeline(data, name)


@FUZZ
@given(st.lists(st.sampled_from(SEED.read_text(encoding="utf-8").splitlines()[:400]), max_size=12),
       st.text(alphabet=ALPHABET, max_size=40))
def test_fuzz_recombined_seed_lines(lines, noise):
    _pipeline(("\n".join(lines) + noise).encode("gb18030"), "mix.txt")


# ---- a batch of hostile files beside a good one ---------------------------------------------------------

HOSTILE = {  # file → words its reason must contain
    "truncated.pdf": ("truncated",),
    "encrypted.pdf": ("encrypted", "password"),
    "images-only.pdf": ("no text layer",),
    "bomb.docx": ("zip bomb",),
    "huge.txt": ("too large", "over the 100 mb limit", "planwatch_max_file_mb"),
    "junk.txt": ("binary",),
    "mixed.txt": ("mixed encodings", "utf-8", "gb18030"),
}


def _pdf(text: str, out: Path) -> None:
    import html

    from weasyprint import HTML

    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.splitlines() if p.strip())
    HTML(string=f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>").write_pdf(out)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> Path:
    """A folder with the good seed and one file of each hostile kind (made once per test session)."""
    import random

    folder = tmp_path_factory.mktemp("hostile")
    seed_text = SEED.read_text(encoding="utf-8")
    shutil.copy(SEED, folder / "good.txt")
    _pdf(seed_text[:3000], folder / "whole.pdf")
    data = (folder / "whole.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(folder / "whole.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    with open(folder / "encrypted.pdf", "wb") as f:
        writer.write(f)
    (folder / "whole.pdf").unlink()
    from weasyprint import HTML

    HTML(string="<html><body><div style='width:400px;height:300px;background:#36c'></div>"
                "<div style='width:200px;height:500px;background:#c63'></div></body></html>").write_pdf(
        folder / "images-only.pdf")
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"<w:t>" + b"\0" * (1 << 20)
            for _ in range(300):
                f.write(chunk)
    # 200 MB of real text, written streaming (never held in memory)
    block = (seed_text * (1 + (1 << 20) // len(seed_text.encode())))
    block_bytes = block.encode("utf-8")[: 1 << 20]
    block_bytes = block_bytes[: len(block_bytes.decode("utf-8", "ignore").encode("utf-8"))]
    with open(folder / "huge.txt", "wb") as f:
        written = 0
        while written < 200_000_000:
            f.write(block_bytes)
            written += len(block_bytes)
    (folder / "junk.txt").write_bytes(random.Random(7).randbytes(64 * 1024))
    (folder / "mixed.txt").write_bytes(seed_text[:4000].encode("utf-8") + seed_text[4000:9000].encode("gbk"))
    return folder


def _check_batch(files: dict[str, tuple[str, str]]) -> None:
    assert files["good.txt"][0] == "new", files["good.txt"]
    for name, words in HOSTILE.items():
        status, reason = files[name]
        assert status == "failed", (name, status)
        for w in words:
            assert w in reason.lower(), (name, reason)
    assert set(files) == {"good.txt", *HOSTILE}


def _stored_names(factory) -> list[str]:
    with factory() as s:
        return sorted(s.scalars(select(DocumentRow.name)))


def test_the_200mb_file_is_refused_before_it_is_read(hostile):
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    with pytest.raises(ReadError) as info:
        read_document(hostile / "huge.txt")
    assert time.perf_counter() - t0 < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # < 50 MB more (KiB)
    assert str(hostile / "huge.txt") in str(info.value) and "100 MB limit" in info.value.reason


def test_the_size_limit_is_configurable(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_text("全市地区生产总值增长5.0%。\n" * 20_000, encoding="utf-8")  # ~0.5 MB
    assert read_document(f).text
    monkeypatch.setenv("PLANWATCH_MAX_FILE_MB", "0.1")
    with pytest.raises(ReadError, match="over the 0.1 MB limit"):
        read_document(f)
    with pytest.raises(ReadError, match="too large"):
        read_bytes(f.read_bytes(), "a.txt")


def test_hostile_batch_through_ingest_paths(db, hostile):
    report = ingest_paths(db, [hostile], reassess=False)
    _check_batch({Path(f.path).name: (f.status, f.reason) for f in report.files})
    assert _stored_names(db) == ["good.txt"]


def test_hostile_batch_through_the_worker_pool(tmp_path, hostile):
    factory = open_db(f"sqlite:///{tmp_path / 'pool.db'}")
    try:
        report = ingest_paths(factory, [hostile], reassess=False, jobs=2)
        _check_batch({Path(f.path).name: (f.status, f.reason) for f in report.files})
        assert _stored_names(factory) == ["good.txt"]
        with factory() as s:
            assert s.scalar(select(func.count()).select_from(ClaimRow)) > 100
    finally:
        engine_of(factory).dispose()


def test_hostile_batch_through_the_cli(db_url, hostile, monkeypatch):
    from typer.testing import CliRunner

    from planwatch import cli
    from planwatch.cli import app

    monkeypatch.setattr(cli.out, "width", 400)  # one table row a line: reasons are not folded
    r = CliRunner().invoke(app, ["ingest", str(hostile), "--db", db_url])
    assert r.exit_code == 1, r.output  # files failed: exit 1, after storing the good one
    rows = {line.split("│")[1].strip(): line.lower() for line in r.output.splitlines() if line.count("│") > 3}
    assert " new " in rows["good.txt"]
    for name, words in HOSTILE.items():  # each file on its line, with its status and reason
        assert "failed" in rows[name] and all(w in rows[name] for w in words), rows[name]
    assert r.exception is None or isinstance(r.exception, SystemExit)
    factory = open_db(db_url)
    try:
        assert _stored_names(factory) == ["good.txt"]
    finally:
        engine_of(factory).dispose()


# ---- queue workers on PostgreSQL: every document stored once ------------------------------------------


def _variants(out: Path, copies: int) -> list[Path]:
    out.mkdir()
    files = []
    for i in range(copies):
        for seed in sorted((ROOT / "samples" / "nanchang").glob("00[0-3]*.txt")):
            f = out / f"{i:02d}_{seed.name}"
            f.write_bytes(seed.read_bytes() + f"\n附件{i}\n".encode())
            files.append(f)
    return files


def _jobs(url: str) -> list[dict]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(
                "SELECT id, path, status, result, attempts, worker, reason FROM ingest_job ORDER BY id"))]
    finally:
        engine.dispose()


def _worker(url: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "planwatch", "worker", "--db", url], cwd=cwd, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture
def pg_url(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("the multi-worker queue needs PostgreSQL (SQLite runs one worker)")
    return db_url


@pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_two_queue_workers_store_every_document_once(pg_url, tmp_path):
    from planwatch.services.queue import enqueue

    files = _variants(tmp_path / "docs", copies=3)
    (tmp_path / "docs" / "zz_empty.txt").write_bytes(b"")
    factory = open_db(pg_url)
    try:
        assert enqueue(factory, [tmp_path / "docs"]) == (len(files) + 1, 0)
        assert enqueue(factory, [tmp_path / "docs"]) == (0, len(files) + 1)  # queued once
        procs = [_worker(pg_url, tmp_path) for _ in range(2)]
        outs = [p.communicate(timeout=180)[0] for p in procs]
        assert [p.returncode for p in procs] in ([1, 0], [0, 1], [1, 1]), outs  # the empty file failed somewhere
        jobs = _jobs(pg_url)
        assert len(jobs) == len(files) + 1
        assert all(j["attempts"] == 1 for j in jobs), jobs  # no job taken twice
        assert sorted(j["result"] for j in jobs) == ["failed"] + ["new"] * len(files), [j["reason"] for j in jobs]
        assert [j["reason"] for j in jobs if j["result"] == "failed"] == ["empty file (0 bytes)"]
        with factory() as s:
            names = list(s.scalars(select(DocumentRow.name)))
            assert sorted(names) == sorted(f.name for f in files)  # each stored exactly once
        assert len({j["worker"] for j in jobs}) == 2, outs  # both workers took jobs
    finally:
        engine_of(factory).dispose()


@pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_a_killed_queue_worker_loses_no_job(pg_url, tmp_path):
    from planwatch.services.queue import enqueue

    files = _variants(tmp_path / "docs", copies=4)
    factory = open_db(pg_url)
    try:
        enqueue(factory, [tmp_path / "docs"])
        victim = _worker(pg_url, tmp_path)
        deadline = time.monotonic() + 120
        while sum(j["status"] == "done" for j in _jobs(pg_url)) < 2:
            assert victim.poll() is None and time.monotonic() < deadline, "the worker ended before it was killed"
            time.sleep(0.01)
        victim.send_signal(signal.SIGKILL)
        victim.wait(30)
        done_before = sum(j["status"] == "done" for j in _jobs(pg_url))
        assert done_before < len(files), "the kill did not land mid-queue"
        rescuer = _worker(pg_url, tmp_path)
        out = rescuer.communicate(timeout=180)[0]
        assert rescuer.returncode == 0, out
        jobs = _jobs(pg_url)
        assert all(j["status"] == "done" for j in jobs), jobs
        # the job the victim held (if its document was committed before the kill) comes back as unchanged
        assert sum(j["result"] == "unchanged" for j in jobs) <= 1
        with factory() as s:
            assert sorted(s.scalars(select(DocumentRow.name))) == sorted(f.name for f in files)
    finally:
        engine_of(factory).dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_queue_on_sqlite_with_one_worker_and_requeue(db_url, tmp_path):
    from typer.testing import CliRunner

    from planwatch.cli import app
    from planwatch.services.queue import queue_counts

    files = _variants(tmp_path / "docs", copies=1)
    run = CliRunner().invoke
    r = run(app, ["ingest", str(tmp_path / "docs"), "--db", db_url, "--queue"])
    assert r.exit_code == 0 and f"queued {len(files)} files" in r.output, r.output
    factory = open_db(db_url)
    try:
        with engine_of(factory).begin() as conn:  # a worker killed after claiming a job
            conn.execute(text("UPDATE ingest_job SET status='running' WHERE id=1"))
        r = run(app, ["worker", "--db", db_url, "--requeue"])
        assert r.exit_code == 0 and "requeued 1" in r.output, r.output
        assert queue_counts(factory) == {"done": len(files)}
        assert len(_stored_names(factory)) == len(files)
    finally:
        engine_of(factory).dispose()


# ---- two editors in two processes ---------------------------------------------------------------------


def test_two_editors_in_two_processes_the_second_is_told(db_url, tmp_path):
    factory = open_db(db_url)
    try:
        shutil.copy(SEED, tmp_path / SEED.name)
        ingest_paths(factory, [tmp_path / SEED.name], reassess=False)
        with factory() as s:
            cid, version = s.execute(select(ClaimRow.id, ClaimRow.version).where(ClaimRow.quote == "27个",
                                                                                  ClaimRow.kind == "target")).one()
    finally:
        engine_of(factory).dispose()

    def edit(user: str, value: str) -> subprocess.Popen:  # both read version `version` before either writes
        return subprocess.Popen([sys.executable, "-m", "planwatch", "claims", "edit", str(cid), "--value", value,
                                 "--version", str(version), "--db", db_url, "--user", user, "--reason", "check"],
                                cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    alice, bob = edit("alice", "28"), edit("bob", "29")
    out = {"alice": alice.communicate(timeout=120)[0], "bob": bob.communicate(timeout=120)[0]}
    codes = {"alice": alice.returncode, "bob": bob.returncode}
    assert sorted(codes.values()) == [0, 3], (codes, out)  # one wins, the other gets a conflict (exit 3)
    winner = next(u for u, c in codes.items() if c == 0)
    loser = next(u for u, c in codes.items() if c == 3)
    # which of the two checks catches the loser is a matter of timing: the version it read is already stale,
    # or its UPDATE … WHERE version = n finds the row changed under it — both say conflict, neither writes
    told = " ".join(out[loser].split())
    assert "conflict" in told and ("changed since you read it" in told or "changed by someone else" in told), told
    factory = open_db(db_url)
    try:
        with factory() as s:
            row = s.get(ClaimRow, cid)
            assert (row.value, row.version) == ({"alice": 28.0, "bob": 29.0}[winner], version + 1)
            audit = s.execute(text("SELECT who FROM audit")).scalars().all()
            assert audit == [winner]  # nothing half-written by the loser
    finally:
        engine_of(factory).dispose()
