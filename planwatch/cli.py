"""Command line: thin typer commands over the library. Library errors become one-line messages."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from .errors import ReadError
from .read import expand_paths, read_document

app = typer.Typer(add_completion=False, no_args_is_help=True, help="planwatch 规划监测 — plan targets vs reported results.")
err = Console(stderr=True)
out = Console(highlight=False)


def _num(v) -> str:
    """A value for a table cell: 8200, 7.5; a qualitative target (no value) shows as —."""
    return "—" if v is None or v != v else f"{v:g}"


def _fail(path: str, reason: str) -> None:
    err.print(f"[red]error[/red] {path}: {reason}", soft_wrap=True)


@app.command()
def read(
    files: List[Path] = typer.Argument(..., help="Documents to read (txt, pdf, docx, html) or folders."),
    format: str = typer.Option("text", "--format", "-f", help="text | json"),
) -> None:
    """Read documents and print their metadata, sections and sentences."""
    from .structure import structure

    failed = 0
    for path in expand_paths(files):
        try:
            doc = read_document(path)
            st = structure(doc)
        except ReadError as e:
            _fail(e.path, e.reason)
            failed += 1
            continue
        if format == "json":
            rec = {
                "doc": doc.name, "format": doc.format, "encoding": doc.encoding, "title": doc.title,
                "chars": len(doc.text), "sha256": doc.sha256, "pages": len(doc.pages) or None,
                "sections": [{"kind": s.kind, "title": s.title, "path": list(s.path), "start": s.start, "end": s.end}
                             for s in st.sections],
                "sentences": [{"text": s.text, "start": s.start, "end": s.end, "path": list(s.path),
                               "table_row": s.row is not None} for s in st.sentences],
            }
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            out.print(f"[bold]{doc.name}[/bold]  {doc.format} · {doc.encoding} · {len(doc.text)} chars · "
                      f"{len(st.sections)} sections · {len(st.sentences)} sentences · {len(st.rows)} table rows")
            out.print(f"  title: {doc.title}")
            for s in st.sections:
                out.print("  " + "  " * (s.level - 1) + f"{s.title}")
            for s in st.sentences:
                out.print(f"    [{s.start}:{s.end}] {' / '.join(s.path[-1:])} | {s.text}")
    if failed:
        raise typer.Exit(1)


@app.command()
def extract(
    files: List[Path] = typer.Argument(..., help="Documents to read (txt, pdf, docx, html) or folders."),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl | table"),
    region: Optional[str] = typer.Option(None, help="Region of the documents (default: inferred, e.g. 南昌市)."),
    year: Optional[int] = typer.Option(None, help="Year of the documents (default: inferred from their dates)."),
    doc_type: Optional[str] = typer.Option(None, "--type", help="five_year_plan | work_report | plan_execution_report | statistical_bulletin | article"),
) -> None:
    """Extract every target and every reported result, with the exact characters it came from. No database."""
    from .claims import extract_claims
    from .context import infer_context

    failed = 0
    for path in expand_paths(files):
        try:
            doc = read_document(path)
        except ReadError as e:
            _fail(e.path, e.reason)
            failed += 1
            continue
        ctx = infer_context(doc, region=region, year=year, doc_type=doc_type)
        claims = extract_claims(doc, ctx=ctx)
        if format == "jsonl":
            for c in claims:
                sys.stdout.write(json.dumps(c.as_record(), ensure_ascii=False) + "\n")
        else:
            from rich.table import Table

            t = Table(title=f"{doc.name} · {ctx.doc_type} · {ctx.region or '?'} · {len(claims)} claims")
            for col in ("kind", "measure", "indicator", "value", "unit", "cmp", "period/year", "quote", "rule"):
                t.add_column(col)
            for c in claims:
                v = _num(c.value) + (f"–{c.value_max:g}" if c.value_max is not None else "")
                t.add_row(c.kind, c.measure, c.indicator, v, c.unit, c.comparator,
                          c.period or str(c.target_year or ""), c.quote, c.rule)
            out.print(t)
    if failed:
        raise typer.Exit(1)


@app.command("eval")
def eval_(
    gold: Path = typer.Option(..., "--gold", help="Folder of gold JSONL files (*_targets.jsonl, *_actuals.jsonl)."),
    docs: Path = typer.Option(..., "--docs", help="Folder of the documents the gold annotates."),
    show: int = typer.Option(30, help="How many misses / false hits / wrong kinds to list (0: none)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """Score extraction against gold annotations: P/R/F1, target/actual and comparator accuracy, indicators."""
    from .claims import extract_claims
    from .evaluate import load_gold, score

    texts, preds = {}, []
    for path in sorted(docs.iterdir()):
        if path.suffix.lower() not in (".txt",):
            continue
        doc = read_document(path)
        texts[doc.name] = doc.original
        preds.extend(c.as_record() for c in extract_claims(doc))
    records = load_gold(gold, texts)
    s = score(preds, records)
    summary = s.summary()
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
        return
    for k, v in summary.items():
        out.print(f"{k}: {v}")
    if show:
        def g_line(g):
            return f"{g['id']} {g['_type']} {g['kind']} {g['value']} {g.get('unit')} {g.get('comparator', '')} | {g['quote'][:60]}"

        out.print(f"\n[bold]misses[/bold] ({len(s.misses)})")
        for g in s.misses[:show]:
            out.print("  " + g_line(g))
        out.print(f"\n[bold]false hits[/bold] ({len(s.false_hits)})")
        for p in s.false_hits[:show]:
            ctx = texts[p["doc"]][max(0, p["start"] - 20):p["end"] + 8].replace("\n", " ")
            out.print(f"  {p['doc'][:3]} {p['kind']} {p['measure']} {_num(p['value'])} {p['unit']} [{p['rule']}] | {ctx}")
        out.print(f"\n[bold]wrong kind[/bold] ({len(s.wrong_kind)})")
        for g, p in s.wrong_kind[:show]:
            out.print(f"  {g_line(g)}  → {p['kind']} [{p['rule']}]")
        out.print(f"\n[bold]wrong comparator[/bold] ({len(s.wrong_comparator)})")
        for g, p in s.wrong_comparator[:show]:
            out.print(f"  {g_line(g)}  → {p['comparator']} ({p['qualifier']})")


def main() -> None:  # pragma: no cover - entry point
    app()


# ---- the ledger: ingest, assess, corrections (planwatch.store holds it, planwatch.services does the work) ----

DB_HELP = "Database URL (postgresql+psycopg://…) or SQLite file. Default: $PLANWATCH_DB, else planwatch.db."
USER_HELP = "Who makes the change, for the audit trail. Default: $PLANWATCH_USER, else your login name."


def _open(db: Optional[str]):
    from .store import open_db

    try:
        return open_db(db)
    except Exception as e:  # a bad URL, an unreachable server, a failed migration
        err.print(f"[red]error[/red] database: {e}", soft_wrap=True)
        raise typer.Exit(2)


def _user(user: Optional[str]) -> str:
    import getpass
    import os

    return user or os.environ.get("PLANWATCH_USER") or getpass.getuser()


def _correct(db: Optional[str], change) -> None:
    """Run one correction in a transaction, then refresh the verdicts; review errors become one line."""
    from .services.assessments import refresh
    from .services.review import ConflictError, ReviewError

    factory = _open(db)
    try:
        with factory.begin() as s:
            msg = change(s)
    except ConflictError as e:
        err.print(f"[red]conflict[/red] {e}", soft_wrap=True)
        raise typer.Exit(3)
    except ReviewError as e:
        err.print(f"[red]error[/red] {e}", soft_wrap=True)
        raise typer.Exit(1)
    out.print(msg)
    try:
        with factory.begin() as s:
            refresh(s)
    except ImportError:  # linking/assessment not available in this build: the correction is stored anyway
        pass


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Documents or folders (recursive)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    doc_type: Optional[str] = typer.Option(None, "--type", help="five_year_plan | work_report | plan_execution_report | statistical_bulletin | article (default: inferred)"),
    region: Optional[str] = typer.Option(None, help="Region of the documents (default: inferred from the title, e.g. 南昌市)."),
    year: Optional[int] = typer.Option(None, help="Year of the documents (default: inferred: dateline, plan period, title)."),
    force: bool = typer.Option(False, "--force", help="Extract again even when the bytes are unchanged, e.g. with other --type/--region/--year (human corrections are kept)."),
    as_of: Optional[int] = typer.Option(None, "--as-of", help="Year to assess as of afterwards (default: latest document year)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Extract in N worker processes (storage stays in this one). Default 1."),
    queue: bool = typer.Option(False, "--queue", help="Only queue the files in the database; `planwatch worker` processes (anywhere) ingest them."),
    bulk: Optional[bool] = typer.Option(None, "--bulk/--no-bulk", help="PostgreSQL: drop the search index during the load and build it once after. Default: when the batch is 500+ files and at least half the ledger."),
) -> None:
    """Read, extract and store documents (one transaction each), then re-link and re-assess the ledger."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .services.ingest import ingest_paths

    factory = _open(db)
    if queue:
        from .services.queue import enqueue, queue_counts

        added, already = enqueue(factory, paths, doc_type=doc_type, region=region, year=year, force=force)
        counts = ", ".join(f"{k} {v}" for k, v in sorted(queue_counts(factory).items()))
        out.print(f"queued {added} files ({already} already queued); queue: {counts}")
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("ingest", total=None)

        def progress(done: int, total: int, path: str, result) -> None:
            bar.update(task, total=total, completed=done, description=Path(path).name[:40])

        report = ingest_paths(factory, paths, doc_type=doc_type, region=region, year=year, force=force,
                              as_of=as_of, progress=progress, jobs=jobs, bulk=bulk)
    t = Table(title=f"ingest · {len(report.files)} files · {report.seconds:.1f} s")
    for col in ("file", "status", "type", "region", "year", "claims", "reason"):
        t.add_column(col, overflow="fold")
    colors = {"new": "green", "updated": "cyan", "unchanged": "dim", "failed": "red"}
    for f in report.files:
        kept = f" ({f.kept_human} kept as corrected)" if f.kept_human else ""
        t.add_row(Path(f.path).name, f"[{colors.get(f.status, '')}]{f.status}[/]", f.doc_type, f.region,
                  str(f.year or ""), str(f.claims) if f.status != "failed" else "", f.reason + kept)
    out.print(t)
    r = report.reassessed
    if r is not None:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r.statuses.items()))
        out.print(f"ledger as of {r.as_of}: {r.targets} targets, {r.actuals} actuals, {r.links} links, "
                  f"{r.assessments} assessments ({counts})")
    if report.reassess_error:
        _fail("ledger", f"not re-assessed: {report.reassess_error}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def worker(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    wait: bool = typer.Option(False, "--wait", help="Keep polling for new jobs instead of stopping when the queue is empty."),
    poll: float = typer.Option(2.0, help="Seconds between polls with --wait."),
    max_jobs: Optional[int] = typer.Option(None, "--max-jobs", help="Stop after this many jobs."),
    reassess: bool = typer.Option(False, "--reassess", help="Re-link and re-assess when done (one worker; else run `planwatch assess` once the queue is drained)."),
    requeue: bool = typer.Option(False, "--requeue", help="First put back jobs a killed worker left running (SQLite; PostgreSQL needs none)."),
) -> None:
    """Ingest queued files (`planwatch ingest --queue`), one job at a time; run several, on several machines.

    On PostgreSQL each job is claimed with SELECT … FOR UPDATE SKIP LOCKED: no two workers take the same file,
    and the job of a worker killed mid-way goes back to the queue by itself.
    """
    from .services.queue import queue_counts, requeue_running, work

    factory = _open(db)
    if requeue:
        out.print(f"requeued {requeue_running(factory)} jobs left running")

    def progress(job_id: int, r) -> None:
        reason = f" — {r.reason}" if r.reason else ""
        out.print(f"job {job_id} {Path(r.path).name}: {r.status} {r.claims if r.status != 'failed' else ''}{reason}",
                  soft_wrap=True)

    report = work(factory, wait=wait, poll=poll, max_jobs=max_jobs, reassess=reassess, progress=progress)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(queue_counts(factory).items()))
    out.print(f"worker {report.worker}: {len(report.files)} jobs in {report.seconds:.1f} s "
              f"(new {report.count('new')}, updated {report.count('updated')}, unchanged {report.count('unchanged')}, "
              f"failed {report.count('failed')}); queue: {counts}")
    if report.count("failed"):
        raise typer.Exit(1)


@app.command()
def assess(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    as_of: Optional[int] = typer.Option(None, "--as-of", help="Assess as of this year (default: latest document year)."),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl | table"),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only the targets of this document (its name or a prefix: 001)."),
) -> None:
    """Verdict on every target (met / not_met / on_track / lagging …) with its evidence, one target a line.

    Re-links and re-assesses the stored ledger first (human links and overrides are kept), then prints it.
    """
    from .services.assessments import assessment_records, reassess

    factory = _open(db)
    with factory.begin() as s:
        result = reassess(s, as_of)
    with factory() as s:
        records = assessment_records(s, result.as_of)
    if doc:
        records = [r for r in records if r["target"]["doc"].startswith(doc)]
    if format == "jsonl":
        for rec in records:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    t = Table(title=f"assessment as of {result.as_of} · {len(records)} targets")
    for col in ("id", "doc", "indicator", "target", "actual", "status", "progress", "explanation"):
        t.add_column(col, overflow="fold")
    for rec in records:
        tg = rec["target"]
        actual = "; ".join(f"{_num(a['value'])}{a['unit']} ({a['period'] or a['doc'][:3]})" for a in rec["actuals"])
        status = rec["status"] + (" ✎" if rec["override"] else "")
        prog = f"{rec['progress']:.0%}" if isinstance(rec["progress"], (int, float)) else ""
        t.add_row(str(tg["id"]), tg["doc"][:3], tg["indicator"], f"{tg['comparator']}{_num(tg['value'])}{tg['unit']}" if tg['value'] is not None else tg["qualifier"],
                  actual, status, prog, rec["explanation"])
    out.print(t)


claims_app = typer.Typer(no_args_is_help=True, help="List and correct stored claims (every change is audited).")
app.add_typer(claims_app, name="claims")


@claims_app.command("list")
def claims_list(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    doc: Optional[str] = typer.Option(None, help="Document name or its prefix (001)."),
    kind: Optional[str] = typer.Option(None, help="target | actual"),
    status: Optional[str] = typer.Option(None, help="extracted | confirmed | corrected | rejected"),
    format: str = typer.Option("table", "--format", "-f", help="table | jsonl"),
) -> None:
    """Stored claims with their ids and versions (the handles of the correction commands)."""
    from .store.repo import claim_record, list_claims

    with _open(db)() as s:
        records = [claim_record(r) for r in list_claims(s, doc=doc, kind=kind, review_status=status)]
    if format == "jsonl":
        for rec in records:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    t = Table(title=f"{len(records)} claims")
    for col in ("id", "v", "doc", "kind", "measure", "indicator", "value", "unit", "cmp", "year", "review", "quote"):
        t.add_column(col, overflow="fold")
    for c in records:
        t.add_row(str(c["id"]), str(c["version"]), c["doc"][:3], c["kind"], c["measure"], c["indicator"],
                  _num(c["value"]), c["unit"], c["comparator"], c["period"] or str(c["target_year"] or ""),
                  c["review_status"], c["quote"])
    out.print(t)


@claims_app.command("edit")
def claims_edit(
    claim_id: int = typer.Argument(..., help="Claim id (planwatch claims list)."),
    value: Optional[float] = typer.Option(None), value_max: Optional[float] = typer.Option(None),
    kind: Optional[str] = typer.Option(None, help="target | actual"),
    measure: Optional[str] = typer.Option(None), indicator: Optional[str] = typer.Option(None),
    unit: Optional[str] = typer.Option(None), comparator: Optional[str] = typer.Option(None, help="= ~ >= <= range"),
    period: Optional[str] = typer.Option(None), target_year: Optional[int] = typer.Option(None),
    region: Optional[str] = typer.Option(None), qualifier: Optional[str] = typer.Option(None),
    baseline_value: Optional[float] = typer.Option(None), baseline_year: Optional[int] = typer.Option(None),
    attribute: Optional[str] = typer.Option(None, help="expected | binding"),
    version: Optional[int] = typer.Option(None, help="The version you read; a newer one in the db → conflict (exit 3)."),
    reason: str = typer.Option("", help="Why (kept in the audit trail)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    user: Optional[str] = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Correct fields of a claim; re-extraction will keep the correction."""
    from .services.review import edit_claim

    given = dict(value=value, value_max=value_max, kind=kind, measure=measure, indicator=indicator, unit=unit,
                 comparator=comparator, period=period, target_year=target_year, region=region,
                 qualifier=qualifier, baseline_value=baseline_value, baseline_year=baseline_year,
                 attribute=attribute)
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        _fail(f"claim {claim_id}", "nothing to change (give --value, --kind, --indicator …)")
        raise typer.Exit(1)

    def change(s):
        row = edit_claim(s, claim_id, changes, user=_user(user), version=version, reason=reason)
        return f"claim {row.id} corrected ({', '.join(sorted(changes))}), now version {row.version}"

    _correct(db, change)


@claims_app.command("confirm")
def claims_confirm(
    claim_id: int = typer.Argument(...), version: Optional[int] = typer.Option(None),
    reason: str = typer.Option(""), db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    user: Optional[str] = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Mark a claim as checked by a human."""
    from .services.review import confirm_claim

    _correct(db, lambda s: f"claim {confirm_claim(s, claim_id, user=_user(user), version=version, reason=reason).id} confirmed")


@claims_app.command("reject")
def claims_reject(
    claim_id: int = typer.Argument(...), reason: str = typer.Option("", help="Why it is not a claim."),
    version: Optional[int] = typer.Option(None), db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    user: Optional[str] = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Reject a claim: out of links and verdicts, and not extracted again."""
    from .services.review import reject_claim

    _correct(db, lambda s: f"claim {reject_claim(s, claim_id, user=_user(user), version=version, reason=reason).id} rejected")


link_app = typer.Typer(no_args_is_help=True, help="Link or unlink an actual to a target by hand (audited).")
app.add_typer(link_app, name="link")


@link_app.command("add")
def link_add(
    target_id: int = typer.Argument(...), actual_id: int = typer.Argument(...),
    not_comparable: bool = typer.Option(False, "--not-comparable", help="The actual answers the target but not comparably."),
    reason: str = typer.Option(""), db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    user: Optional[str] = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Link an actual to a target (kept over automatic linking)."""
    from .services.review import add_link

    def change(s):
        row = add_link(s, target_id, actual_id, user=_user(user), comparable=not not_comparable, reason=reason)
        return f"link {target_id} ← {actual_id}: {row.status}"

    _correct(db, change)


@link_app.command("remove")
def link_remove(
    target_id: int = typer.Argument(...), actual_id: int = typer.Argument(...),
    reason: str = typer.Option(""), db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    user: Optional[str] = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Unlink an actual from a target (automatic linking will not bring it back)."""
    from .services.review import remove_link

    _correct(db, lambda s: f"link {target_id} ← {actual_id}: {remove_link(s, target_id, actual_id, user=_user(user), reason=reason).status}")


@app.command()
def override(
    target_id: int = typer.Argument(..., help="Target claim id."),
    status: str = typer.Argument(..., help="met | basically_met | not_met | not_reported | not_comparable | achieved | ahead | on_track | lagging | not_assessable | clear"),
    reason: str = typer.Option("", help="Why (required)."),
    as_of: Optional[int] = typer.Option(None, "--as-of", help="Which assessment year (default: the latest)."),
    version: Optional[int] = typer.Option(None), db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    user: Optional[str] = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Replace the computed verdict of a target with a human one, with a reason ("clear" removes it)."""
    from .services.review import override_assessment

    def change(s):
        row = override_assessment(s, target_id, None if status == "clear" else status, reason=reason,
                                  user=_user(user), as_of=as_of, version=version)
        return f"target {target_id} as of {row.as_of}: {row.effective_status}"

    _correct(db, change)


@app.command()
def audit(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    entity: Optional[str] = typer.Option(None, help="claim | link | assessment"),
    entity_id: Optional[int] = typer.Option(None, "--id"),
    limit: int = typer.Option(50),
) -> None:
    """The audit trail of corrections, newest first, as JSON Lines (who, when, what, before, after)."""
    from .store.repo import audit_trail

    with _open(db)() as s:
        for a in audit_trail(s, entity=entity, entity_id=entity_id, limit=limit):
            rec = {"id": a.id, "who": a.who, "at": a.at.isoformat(), "what": a.what, "entity": a.entity,
                   "entity_id": a.entity_id, "reason": a.reason, "before": a.before, "after": a.after}
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")


# ---- publish: reports, open-data exports, import (planwatch.report and services.report_data/exchange) ----

@app.command()
def report(
    out_dir: Path = typer.Option(..., "--out", help="Folder to write the report files into (created)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    as_of: Optional[int] = typer.Option(None, "--as-of", help="Assess as of this year (default: latest document year)."),
    region: Optional[str] = typer.Option(None, help="Only targets of this region (default: all; the title names the plan's region)."),
    format: str = typer.Option("docx,xlsx,pdf,html,md", "--format", "-f", help="Comma-separated: docx, xlsx, pdf, html, md."),
) -> None:
    """Write the evaluation report (规划实施评估报告 + 政府工作报告目标任务完成情况) and print the files written.

    Re-assesses the ledger first (as `planwatch assess` does), so the report shows the same statuses.
    """
    from .report import write_reports
    from .services.assessments import reassess
    from .services.report_data import build_report

    factory = _open(db)
    with factory.begin() as s:
        result = reassess(s, as_of)
    with factory() as s:
        model = build_report(s, result.as_of, region=region)
    try:
        paths = write_reports(model, out_dir, format.split(","))
    except ValueError as e:
        _fail("report", str(e))
        raise typer.Exit(1)
    for p in paths:
        typer.echo(str(p))  # plain: a long path must not be wrapped


@app.command("export")
def export_(
    what: str = typer.Option("claims", "--what", help="claims | assessments | indicators (ignored by opensdg/sdmx)."),
    format: str = typer.Option("jsonl", "--format", "-f", help="csv | jsonl | xlsx | opensdg (a folder) | sdmx (SDMX-CSV)."),
    out_path: Optional[Path] = typer.Option(None, "--out", help="File (or folder for opensdg). Default: stdout (csv, jsonl, sdmx)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    as_of: Optional[int] = typer.Option(None, "--as-of", help="Assessments as of this year (default: the latest assessed)."),
) -> None:
    """Open data: the claims (with documents and human decisions), assessments or indicators as CSV, JSON
    Lines or XLSX; the series as Open SDG CSV files (one per indicator + metadata.csv) or SDMX-CSV."""
    from .services import exchange

    with _open(db)() as s:
        if format == "opensdg":
            if out_path is None:
                _fail("export", "--format opensdg writes a folder: give --out DIR")
                raise typer.Exit(1)
            for p in exchange.export_opensdg(s, out_path):
                typer.echo(str(p))  # plain: a long path must not be wrapped
            return
        if format == "sdmx":
            data = exchange.export_sdmx(s, out_path)
        else:
            if what == "claims":
                records = exchange.export_claims(s)
            elif what == "assessments":
                records = exchange.export_assessments(s, as_of)
                if format != "jsonl":
                    records = [exchange.flatten_assessment(r) for r in records]
            elif what == "indicators":
                records = exchange.export_indicators(s)
            else:
                _fail("export", f"unknown --what {what!r} (one of {', '.join(exchange.WHAT)})")
                raise typer.Exit(1)
            if format == "xlsx" and out_path is None:
                _fail("export", "--format xlsx needs --out FILE")
                raise typer.Exit(1)
            try:
                data = exchange.write_table(records, format, out_path, sheet=what)
            except exchange.ExchangeError as e:
                _fail("export", str(e))
                raise typer.Exit(1)
    if out_path is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        typer.echo(str(out_path))


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A claims export: .jsonl or .csv (planwatch export --what claims)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    as_of: Optional[int] = typer.Option(None, "--as-of", help="Assess as of this year afterwards (default: latest document year)."),
) -> None:
    """Load a claims export into an EMPTY database and re-assess: the same assessments as where it came from."""
    from .services import exchange
    from .services.assessments import reassess

    factory = _open(db)
    try:
        records = exchange.read_records(file)
        with factory.begin() as s:
            counts = exchange.import_claims(s, records)
            years = {o["as_of"] for r in records for o in (r.get("overrides") or [])}
            results = [reassess(s, y) for y in sorted(years | ({as_of} if as_of else set()))] or [reassess(s)]
    except (exchange.ExchangeError, OSError, ValueError) as e:
        _fail(str(file), str(e))
        raise typer.Exit(1)
    r = results[-1]
    out.print(f"imported {counts['documents']} documents, {counts['claims']} claims, {counts['links']} human links, "
              f"{counts['overrides']} overrides; assessed as of {r.as_of}: {r.assessments} targets")


# ---- the web dashboard and who may change things (planwatch.web, planwatch.services.auth) ------------------

@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(8000, help="Port."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    workers: int = typer.Option(1, help="Worker processes (they share one session secret)."),
    private: bool = typer.Option(False, "--private", help="Only logged-in users and API tokens may read."),
) -> None:
    """The dashboard and JSON API: http://HOST:PORT (pages), /api/v1 (JSON), /api/v1/docs (OpenAPI)."""
    import os
    import secrets

    import uvicorn

    from .store import resolve_url

    _open(db)  # fail here, in one line, on a bad URL; also migrates before the workers start
    os.environ["PLANWATCH_DB"] = resolve_url(db).render_as_string(hide_password=False)
    # One secret for every worker, so a session cookie signed by one is valid in the others.
    os.environ.setdefault("PLANWATCH_SECRET", secrets.token_urlsafe(32))
    if private:
        os.environ["PLANWATCH_PRIVATE"] = "1"
    err.print(f"planwatch: http://{host}:{port}  (API http://{host}:{port}/api/v1/docs)")
    uvicorn.run("planwatch.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning")


users_app = typer.Typer(no_args_is_help=True, help="Users of the web dashboard (argon2-hashed passwords).")
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option("editor", help="admin | editor | viewer"),
    password: Optional[str] = typer.Option(None, help="Password (asked for when not given)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Create a user, or set an existing user's password and role."""
    from .services.auth import AuthError, set_password

    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        with _open(db).begin() as s:
            user = set_password(s, name, password, role)
            out.print(f"user {user.name} ({user.role})")
    except AuthError as e:
        _fail(name, str(e))
        raise typer.Exit(1)


@users_app.command("list")
def users_list(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Users with their role and whether they have a password and an API token."""
    from .services.auth import list_users

    with _open(db)() as s:
        for u in list_users(s):
            out.print(f"{u.name}\t{u.role}\tpassword={'yes' if u.password_hash else 'no'}\t"
                      f"token={'yes' if u.token_hash else 'no'}")


tokens_app = typer.Typer(no_args_is_help=True, help="API tokens for scripts (Authorization: Bearer TOKEN).")
app.add_typer(tokens_app, name="tokens")


@tokens_app.command("create")
def tokens_create(
    name: str = typer.Argument(..., help="An existing user (planwatch users add)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """A new API token for a user, printed once (it replaces the user's previous token)."""
    from .services.auth import AuthError, create_token

    try:
        with _open(db).begin() as s:
            token = create_token(s, name)
    except AuthError as e:
        _fail(name, str(e))
        raise typer.Exit(1)
    sys.stdout.write(token + "\n")
