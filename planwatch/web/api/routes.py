"""JSON API under /api/v1: the twin of every page (same service function), and the writes for scripts.

Reads are open unless the site is private; writes need an editor/admin (Bearer token, or the session cookie
plus its CSRF token). Routes only translate HTTP to service calls.
"""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ...services import queries
from ...services.search import search as search_service
from ..cache import cached_json, shared_data
from ..deps import FactoryDep, SessionDep, ViewerDep, WriterDep, apply_change, require_reader
from .schemas import (
    AuditsPublic, ClaimDetailPublic, ClaimEdit, CommitmentsPublic, DocumentsPublic, DocumentViewPublic,
    IndicatorPublic, LinkCreate, MePublic, OverrideCreate, OverviewPublic, ReviewAction,
    ReviewQueuePublic, SearchPublic, AssessmentPublic,
)

read = APIRouter(prefix="/api/v1", dependencies=[Depends(require_reader)], tags=["read"])
write = APIRouter(prefix="/api/v1", tags=["write"])


def _found(fn, *args, **kw):
    try:
        return fn(*args, **kw)
    except queries.NotFound as e:
        raise HTTPException(404, str(e)) from e


@read.get("/overview", response_model=OverviewPublic, summary="Counts by status and the plan's main indicators")
def overview(request: Request, session: SessionDep, as_of: Optional[int] = None):
    return cached_json(request, session,
                       lambda: shared_data(session, ("overview", as_of), lambda: queries.overview(session, as_of)),
                       OverviewPublic)


@read.get("/indicators/{indicator_id}", response_model=IndicatorPublic, summary="An indicator's series, targets and evidence")
def indicator(request: Request, session: SessionDep, indicator_id: int, as_of: Optional[int] = None,
              region: Optional[str] = Query(None, description="default: the region most targets are set for")):
    return cached_json(request, session,
                       lambda: _found(queries.indicator_detail, session, indicator_id, as_of, region), IndicatorPublic)


@read.get("/commitments", response_model=CommitmentsPublic, summary="A year's work-report targets with result and verdict")
def commitments(request: Request, session: SessionDep, year: Optional[int] = None, status: Optional[str] = None,
                q: Optional[str] = None, as_of: Optional[int] = None):
    return cached_json(request, session, lambda: queries.commitments(session, year, status=status, q=q, as_of=as_of),
                       CommitmentsPublic)


@read.get("/documents", response_model=DocumentsPublic, summary="The documents in the ledger")
def documents(request: Request, session: SessionDep, limit: int = Query(100, ge=1, le=1000),
              offset: int = Query(0, ge=0)):
    return cached_json(request, session, lambda: queries.documents(session, limit=limit, offset=offset),
                       DocumentsPublic)


@read.get("/documents/{document_id}", response_model=DocumentViewPublic, summary="A document's text with its claims")
def document(session: SessionDep, document_id: int):
    return _found(queries.document_view, session, document_id)


@read.get("/claims/{claim_id}", response_model=ClaimDetailPublic, summary="A claim with context, links, verdict, history")
def claim(session: SessionDep, claim_id: int, as_of: Optional[int] = None):
    return _found(queries.claim_detail, session, claim_id, as_of)


@read.get("/review", response_model=ReviewQueuePublic, summary="Claims that need a person's review")
def review(session: SessionDep, reason: Optional[str] = None, limit: int = Query(50, ge=1, le=500),
           offset: int = Query(0, ge=0)):
    return queries.review_queue(session, reason, limit=limit, offset=offset)


@read.get("/audit", response_model=AuditsPublic, summary="The audit trail of corrections, newest first")
def audit(session: SessionDep, entity: Optional[str] = None, entity_id: Optional[int] = None,
          limit: int = Query(100, ge=1, le=1000)):
    return queries.history(session, entity=entity, entity_id=entity_id, limit=limit)


@read.get("/search", response_model=SearchPublic, summary="Search document text and claims")
def search(request: Request, session: SessionDep, q: str = Query("", max_length=200),
           limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)):
    return cached_json(request, session, lambda: search_service(session, q, limit=limit, offset=offset), SearchPublic)


@read.get("/me", response_model=Optional[MePublic], summary="Who the API sees (null when anonymous)")
def me(viewer: ViewerDep):
    return {"name": viewer.name, "role": viewer.role, "via": viewer.via} if viewer.role else None


# ---- writes: every one goes through services.review (audited), then the verdicts are refreshed ----------

def _detail(factory, claim_id: int):
    with factory() as s:
        return queries.claim_detail(s, claim_id)


@write.post("/claims/{claim_id}/edit", response_model=ClaimDetailPublic, summary="Correct fields of a claim")
def edit_claim(claim_id: int, body: ClaimEdit, factory: FactoryDep, who: WriterDep):
    from ...services.review import edit_claim as edit

    apply_change(factory, lambda s: edit(s, claim_id, body.changes, user=who.name, version=body.version,
                                         reason=body.reason))
    return _detail(factory, claim_id)


@write.post("/claims/{claim_id}/confirm", response_model=ClaimDetailPublic, summary="Confirm a claim as extracted")
def confirm_claim(claim_id: int, body: ReviewAction, factory: FactoryDep, who: WriterDep):
    from ...services.review import confirm_claim as confirm

    apply_change(factory, lambda s: confirm(s, claim_id, user=who.name, version=body.version, reason=body.reason))
    return _detail(factory, claim_id)


@write.post("/claims/{claim_id}/reject", response_model=ClaimDetailPublic, summary="Reject a claim (not a claim)")
def reject_claim(claim_id: int, body: ReviewAction, factory: FactoryDep, who: WriterDep):
    from ...services.review import reject_claim as reject

    apply_change(factory, lambda s: reject(s, claim_id, user=who.name, version=body.version, reason=body.reason))
    return _detail(factory, claim_id)


@write.post("/links", response_model=ClaimDetailPublic, summary="Link an actual to a target")
def add_link(body: LinkCreate, factory: FactoryDep, who: WriterDep):
    from ...services.review import add_link as add

    apply_change(factory, lambda s: add(s, body.target_id, body.actual_id, user=who.name,
                                        comparable=body.comparable, reason=body.reason))
    return _detail(factory, body.target_id)


@write.post("/links/remove", response_model=ClaimDetailPublic, summary="Unlink an actual from a target")
def remove_link(body: LinkCreate, factory: FactoryDep, who: WriterDep):
    from ...services.review import remove_link as remove

    apply_change(factory, lambda s: remove(s, body.target_id, body.actual_id, user=who.name, reason=body.reason))
    return _detail(factory, body.target_id)


@write.post("/targets/{target_id}/override", response_model=AssessmentPublic,
            summary="Replace a target's verdict with a human one (status null clears it)")
def override(target_id: int, body: OverrideCreate, factory: FactoryDep, who: WriterDep):
    from ...services.review import override_assessment

    row = apply_change(factory, lambda s: override_assessment(
        s, target_id, body.status, reason=body.reason, user=who.name, as_of=body.as_of, version=body.version))
    with factory() as s:
        from ...store.models import AssessmentRow

        return queries.assessment_public(s.get(AssessmentRow, row.id))
