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

from sqlalchemy import Integer, func, select, text
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
    """Ids of the documents whose text contains `term`, newest first (year, then id), and the method used
    (fts | instr | trgm). Only ids and years are read here: texts are read for the page shown."""
    dialect = session.get_bind().dialect.name
    newest = (DocumentRow.year.desc().nulls_last(), DocumentRow.id.desc())
    if dialect == "sqlite" and len(term) >= 3:
        fts = text("SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH :q").bindparams(
            q=_fts_phrase(term)).columns(rowid=Integer).subquery()
        ids = session.scalars(select(DocumentRow.id).join(fts, fts.c.rowid == DocumentRow.id).order_by(*newest))
        return list(ids), "fts"
    if dialect == "postgresql":
        ids = session.scalars(select(DocumentRow.id).where(DocumentRow.original.like(_like(term), escape="\\"))
                              .order_by(*newest))
        return list(ids), "trgm"
    return list(session.scalars(select(DocumentRow.id).where(func.instr(DocumentRow.original, term) > 0)
                                .order_by(*newest))), "instr"


def _snippets(body: str, term: str) -> tuple[int, list[dict[str, Any]]]:
    hits, out, i = 0, [], body.find(term)
    while i != -1:
        hits += 1
        if len(out) < MAX_SNIPPETS:
            out.append({"start": i, "before": body[max(0, i - SNIPPET_CHARS):i], "match": term,
                        "after": body[i + len(term):i + len(term) + SNIPPET_CHARS]})
        i = body.find(term, i + len(term))
    return hits, out


def search(session: Session, q: str, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Documents containing `q` (newest first, with hit counts and snippets) and claims whose indicator, quote
    or section contains it (targets first, in document order). Each list gives at most `limit` items from
    `offset`; `documents_total` and `claims_total` say how many match in all. An empty query finds nothing.

    Only the texts of the documents on the page are read, so a term found in every one of ten thousand
    documents costs the same as one found in twenty."""
    term = (q or "").strip()[:MAX_TERM]
    if not term:
        return {"q": "", "method": "", "documents": [], "documents_total": 0, "claims": [], "claims_total": 0,
                "limit": limit, "offset": offset}
    ids, method = matching_document_ids(session, term)
    page = ids[offset:offset + limit]
    rows = {d.id: d for d in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(page or [-1])))}
    docs = []
    for d in (rows[i] for i in page if i in rows):
        hits, snippets = _snippets(d.original or "", term)
        if hits:  # the index found it; the exact text decides (and gives the positions)
            docs.append({"id": d.id, "name": d.name, "title": d.title, "doc_type": d.doc_type, "year": d.year,
                         "hits": hits, "snippets": snippets})
    # Claims are short rows: a substring test per row is fast enough on both backends at ledger sizes.
    find = func.strpos if session.get_bind().dialect.name == "postgresql" else func.instr
    cond = (find(ClaimRow.indicator, term) > 0) | (find(ClaimRow.quote, term) > 0) | (find(ClaimRow.section, term) > 0)
    base = select(ClaimRow).where(cond, ClaimRow.review_status != "rejected")
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    claims = session.scalars(base.options(joinedload(ClaimRow.document))
                             .order_by(ClaimRow.kind.desc(), ClaimRow.document_id, ClaimRow.start)
                             .offset(offset).limit(limit))
    return {"q": term, "method": method, "documents": docs, "documents_total": len(ids),
            "claims": [claim_public(c) for c in claims], "claims_total": total, "limit": limit, "offset": offset}
