"""Use case: search document text and claims (indicator phrases, quotes, sections).

Finding the documents uses the index of migration a7c3e1f2b9d4 (../shared/STACK.md, "Storing and searching"):
- SQLite: FTS5 `trigram` MATCH for terms of 3 characters or more; terms of 1–2 characters get 0 rows from
  MATCH, LIKE and GLOB on a trigram table (SQLite 3.40), so they use `instr(original, ?) > 0` on the table.
- PostgreSQL: LIKE '%term%' (escaped), which pg_trgm's GIN index serves for terms of 3 characters or more.
The hits inside a document (positions, snippets) are found in Python on the matching texts only, the same
way on both backends, so the two give the same answer.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, joinedload

from ..store.models import ClaimRow, DocumentRow
from .queries import claim_public

SNIPPET_CHARS = 40
MAX_SNIPPETS = 5
MAX_TERM = 200


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'  # one FTS5 phrase: no operator in the term is interpreted


def matching_document_ids(session: Session, term: str) -> tuple[list[int], str]:
    """Ids of the documents whose text contains `term`, and the method used (fts | instr | trgm)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite" and len(term) >= 3:
        ids = session.execute(text("SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH :q"),
                              {"q": _fts_phrase(term)}).scalars().all()
        return list(ids), "fts"
    if dialect == "postgresql":
        ids = session.scalars(select(DocumentRow.id).where(DocumentRow.original.like(_like(term), escape="\\")))
        return list(ids), "trgm"
    return list(session.scalars(select(DocumentRow.id).where(func.instr(DocumentRow.original, term) > 0))), "instr"


def _snippets(body: str, term: str) -> tuple[int, list[dict[str, Any]]]:
    hits, out, i = 0, [], body.find(term)
    while i != -1:
        hits += 1
        if len(out) < MAX_SNIPPETS:
            out.append({"start": i, "before": body[max(0, i - SNIPPET_CHARS):i], "match": term,
                        "after": body[i + len(term):i + len(term) + SNIPPET_CHARS]})
        i = body.find(term, i + len(term))
    return hits, out


def search(session: Session, q: str, *, limit: int = 50) -> dict[str, Any]:
    """Documents containing `q` (with hit counts and snippets) and claims whose indicator, quote or section
    contains it. An empty query finds nothing."""
    term = (q or "").strip()[:MAX_TERM]
    if not term:
        return {"q": "", "method": "", "documents": [], "claims": [], "claims_total": 0}
    ids, method = matching_document_ids(session, term)
    docs = []
    for d in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(ids or [-1])).order_by(DocumentRow.id)):
        hits, snippets = _snippets(d.original or "", term)
        if hits:  # the index found it; the exact text decides (and gives the positions)
            docs.append({"id": d.id, "name": d.name, "title": d.title, "doc_type": d.doc_type, "year": d.year,
                         "hits": hits, "snippets": snippets})
    docs.sort(key=lambda d: -d["hits"])
    # Claims are short rows: a substring test per row is fast enough on both backends at ledger sizes.
    cond = (func.instr(ClaimRow.indicator, term) > 0) | (func.instr(ClaimRow.quote, term) > 0) | \
        (func.instr(ClaimRow.section, term) > 0)
    if session.get_bind().dialect.name == "postgresql":
        cond = (func.strpos(ClaimRow.indicator, term) > 0) | (func.strpos(ClaimRow.quote, term) > 0) | \
            (func.strpos(ClaimRow.section, term) > 0)
    base = select(ClaimRow).where(cond, ClaimRow.review_status != "rejected")
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    claims = session.scalars(base.options(joinedload(ClaimRow.document))
                             .order_by(ClaimRow.kind.desc(), ClaimRow.document_id, ClaimRow.start).limit(limit))
    return {"q": term, "method": method, "documents": docs, "claims": [claim_public(c) for c in claims],
            "claims_total": total}
