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


def main() -> None:  # pragma: no cover - entry point
    app()
