"""Use case: search document text and claims (indicator phrases, quotes, sections).

Finding the documents uses the index of migration a7c3e1f2b9d4 (../shared/STACK.md, "Storing and searching"):
- SQLite: FTS5 `trigram` MATCH for terms of 3 characters or more; terms of 1–2 characters get 0 rows from
  MATCH, LIKE and GLOB on a trigram table (SQLite 3.40), so they use `instr(original, ?) > 0` on the table.
- PostgreSQL: LIKE '%term%' (escaped), which pg_trgm's GIN index serves for terms of 3 characters or more.
The hits inside a document (positions, snippets) are found in Python on the matching texts only, the same
way on both backends, so the two give the same answer.

Claims are found the same way through their own index (migration f4c9a2e7b1d8) for terms of 3 characters or
more, and by a scan of their columns for shorter ones; they are counted up to COUNT_CAP, then reported as
capped. At 10,000 documents the texts of the page are the only ones read into Python; finding the matching
documents still tests every text the index cannot rule out (about 2 s on PostgreSQL for a term in most of
300 M chars, before the result is cached per ledger version).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, func, select, text
from sqlalchemy.orm import Session, joinedload, undefer

from ..store.models import ClaimRow, DocumentRow
from .queries import claim_public

SNIPPET_CHARS = 40
MAX_SNIPPETS = 5
MAX_TERM = 200
COUNT_CAP = 1000  # matches counted exactly up to this many; past it a total is the cap, marked as capped


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'  # one FTS5 phrase: no operator in the term is interpreted


def _document_filter(session: Session, term: str):
    """The condition on `document` that finds `term`, and the method it uses (fts | instr | trgm)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite" and len(term) >= 3:
        fts = text("SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH :q").bindparams(
            q=_fts_phrase(term)).columns(rowid=Integer)
        return DocumentRow.id.in_(fts), "fts"
    if dialect == "postgresql":
        return DocumentRow.original.like(_like(term), escape="\\"), "trgm"
    return func.instr(DocumentRow.original, term) > 0, "instr"


def _claim_filter(session: Session, term: str):
    """Claims whose indicator, quote or section contains `term`. The exact substring test decides on both
    backends (FTS5 trigram matching ignores ASCII case); for 3 characters or more the search index of
    migration f4c9a2e7b1d8 first narrows the claims to test (a scan of 1.7 M claims took 0.4–0.6 s)."""
    dialect = session.get_bind().dialect.name
    find = func.strpos if dialect == "postgresql" else func.instr
    exact = (find(ClaimRow.indicator, term) > 0) | (find(ClaimRow.quote, term) > 0) | (find(ClaimRow.section, term) > 0)
    if len(term) < 3:
        return exact
    if dialect == "sqlite":
        fts = text("SELECT rowid FROM search_claim_fts WHERE search_claim_fts MATCH :cq").bindparams(
            cq=_fts_phrase(term)).columns(rowid=Integer)
        return ClaimRow.id.in_(fts) & exact
    if dialect == "postgresql":  # LIKE on each column: a BitmapOr over their three trigram indexes
        like = _like(term)
        return (ClaimRow.indicator.like(like, escape="\\") | ClaimRow.quote.like(like, escape="\\")
                | ClaimRow.section.like(like, escape="\\"))
    return exact


def _capped_count(session: Session, query) -> int:
    """How many rows `query` gives, counted up to COUNT_CAP + 1: past that only "more than COUNT_CAP" is
    told, and counting stops early for a term in most claims."""
    return session.scalar(select(func.count()).select_from(query.limit(COUNT_CAP + 1).subquery())) or 0


def matching_document_ids(session: Session, term: str) -> tuple[list[int], str]:
    """Ids of the documents whose text contains `term`, newest first (documents without a year last), and the
    method used. Only ids and years are read here: texts are read for the page shown."""
    cond, method = _document_filter(session, term)
    force_index = method == "trgm" and len(term) >= 3
    if force_index:
        # PostgreSQL prices LIKE on a row as if the text were short, so over a table of 10,000 rows it picks a
        # scan of every text (2.7 s at 300 M chars) even for a term in none of them; the trigram index
        # answers that in 2 ms, and a term in most texts no slower than the scan.
        session.execute(text("SET LOCAL enable_seqscan = off"))
    rows = session.execute(select(DocumentRow.id, DocumentRow.year).where(cond)).all()
    if force_index:
        session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
    return [i for i, _ in sorted(rows, key=lambda r: (r.year is None, -(r.year or 0), -r.id))], method


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

    Only the texts of the documents on the page are read into Python (snippets, hit counts): a term found
    in every one of ten thousand documents does not bring ten thousand texts over."""
    term = (q or "").strip()[:MAX_TERM]
    if not term:
        return {"q": "", "method": "", "documents": [], "documents_total": 0, "claims": [], "claims_total": 0,
                "claims_capped": False, "limit": limit, "offset": offset}
    ids, method = matching_document_ids(session, term)
    page = ids[offset:offset + limit]
    rows = {d.id: d for d in session.scalars(select(DocumentRow).options(undefer(DocumentRow.original))
                                             .where(DocumentRow.id.in_(page or [-1])))}
    docs = []
    for d in (rows[i] for i in page if i in rows):
        hits, snippets = _snippets(d.original or "", term)
        if hits:  # the index found it; the exact text decides (and gives the positions)
            docs.append({"id": d.id, "name": d.name, "title": d.title, "doc_type": d.doc_type, "year": d.year,
                         "hits": hits, "snippets": snippets})
    base = select(ClaimRow).where(_claim_filter(session, term), ClaimRow.review_status != "rejected")
    total = _capped_count(session, base.with_only_columns(ClaimRow.id))
    claims = session.scalars(base.options(joinedload(ClaimRow.document))
                             .order_by(ClaimRow.kind.desc(), ClaimRow.document_id, ClaimRow.start)
                             .offset(offset).limit(limit))
    return {"q": term, "method": method, "documents": docs, "documents_total": len(ids),
            "claims": [claim_public(c) for c in claims], "claims_total": min(total, COUNT_CAP),
            "claims_capped": total > COUNT_CAP,
            "limit": limit, "offset": offset}
