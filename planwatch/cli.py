"""Command line: thin typer commands over the library. Library errors become one-line messages."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from .errors import ReadError
from .read import read_document

app = typer.Typer(add_completion=False, no_args_is_help=True, help="planwatch 规划监测 — plan targets vs reported results.")
err = Console(stderr=True)
out = Console(highlight=False)


def _fail(path: str, reason: str) -> None:
    err.print(f"[red]error[/red] {path}: {reason}", soft_wrap=True)


def _expand(paths: List[Path]) -> List[Path]:
    """Files as given; folders expanded recursively to the files planwatch can read."""
    from .read import SUPPORTED

    files: List[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED))
        else:
            files.append(p)
    return files


@app.command()
def read(
    files: List[Path] = typer.Argument(..., help="Documents to read (txt, pdf, docx, html) or folders."),
    format: str = typer.Option("text", "--format", "-f", help="text | json"),
) -> None:
    """Read documents and print their metadata, sections and sentences."""
    from .structure import structure

    failed = 0
    for path in _expand(files):
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
    for path in _expand(files):
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
                v = f"{c.value:g}" + (f"–{c.value_max:g}" if c.value_max is not None else "")
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
            out.print(f"  {p['doc'][:3]} {p['kind']} {p['measure']} {p['value']:g} {p['unit']} [{p['rule']}] | {ctx}")
        out.print(f"\n[bold]wrong kind[/bold] ({len(s.wrong_kind)})")
        for g, p in s.wrong_kind[:show]:
            out.print(f"  {g_line(g)}  → {p['kind']} [{p['rule']}]")
        out.print(f"\n[bold]wrong comparator[/bold] ({len(s.wrong_comparator)})")
        for g, p in s.wrong_comparator[:show]:
            out.print(f"  {g_line(g)}  → {p['comparator']} ({p['qualifier']})")


def main() -> None:  # pragma: no cover - entry point
    app()
