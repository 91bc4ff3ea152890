"""HTML pages: each calls the same service function as its /api/v1 twin and renders it."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ...services import queries
from ...services.search import search as search_service
from ..cache import shared_data
from ..deps import LangDep, SessionDep, ViewerDep, require_reader
from .common import render, render_cached

router = APIRouter(dependencies=[Depends(require_reader)], include_in_schema=False,
                   default_response_class=HTMLResponse)


SEARCH_PAGE = 50  # documents and claims per search page


def _found(fn, *args, **kw):
    try:
        return fn(*args, **kw)
    except queries.NotFound as e:
        raise HTTPException(404, str(e)) from e


@router.get("/")
def overview(request: Request, session: SessionDep, viewer: ViewerDep, lang: LangDep, as_of: Optional[int] = None):
    def build() -> dict:  # the overview data is shared with its JSON twin (web/cache.py)
        return {"data": shared_data(session, ("overview", as_of), lambda: queries.overview(session, as_of)),
                "page": "overview"}
    return render_cached(request, session, "overview.html", build, viewer=viewer, lang=lang)


@router.get("/indicators/{indicator_id}")
def indicator(request: Request, session: SessionDep, viewer: ViewerDep, lang: LangDep, indicator_id: int,
              as_of: Optional[int] = None, region: Optional[str] = None):
    return render_cached(request, session, "indicator.html",
                         lambda: {"data": _found(queries.indicator_detail, session, indicator_id, as_of, region),
                                  "page": "overview"},
                         viewer=viewer, lang=lang)


@router.get("/commitments")
def commitments(request: Request, session: SessionDep, viewer: ViewerDep, lang: LangDep,
                year: Optional[int] = None, status: Optional[str] = None, q: Optional[str] = None):
    return render_cached(request, session, "commitments.html",
                         lambda: {"data": queries.commitments(session, year, status=status or None, q=q or None),
                                  "page": "commitments"}, viewer=viewer, lang=lang)


@router.get("/documents")
def documents(request: Request, session: SessionDep, viewer: ViewerDep, lang: LangDep,
              offset: int = Query(0, ge=0)):
    return render_cached(request, session, "documents.html",
                         lambda: {"data": queries.documents(session, offset=offset), "page": "documents"},
                         viewer=viewer, lang=lang)


@router.get("/documents/{document_id}")
def document(request: Request, session: SessionDep, viewer: ViewerDep, lang: LangDep, document_id: int,
             claim: Optional[int] = None):
    data = _found(queries.document_view, session, document_id)
    panel = _found(queries.claim_detail, session, claim) if claim else None
    return render(request, "document.html", {"data": data, "focus": claim, "detail": panel, "page": "documents"},
                  viewer=viewer, lang=lang)


@router.get("/claims/{claim_id}")
def claim(request: Request, session: SessionDep, viewer: ViewerDep, lang: LangDep, claim_id: int):
    """The claim panel: a fragment for htmx (document viewer, review queue), a whole page otherwise."""
    detail = _found(queries.claim_detail, session, claim_id)
    name = "claim_panel.html" if request.headers.get("hx-request") == "true" else "claim.html"
    return render(request, name, {"detail": detail, "page": "review"}, viewer=viewer, lang=lang)


@router.get("/review")
def review(request: Request, session: SessionDep, viewer: ViewerDep, lang: LangDep, reason: Optional[str] = None,
           offset: int = Query(0, ge=0)):
    data = queries.review_queue(session, reason or None, limit=50, offset=offset)
    return render(request, "review.html", {"data": data, "page": "review"}, viewer=viewer, lang=lang)


@router.get("/history")
def history(request: Request, session: SessionDep, viewer: ViewerDep, lang: LangDep, entity: Optional[str] = None,
            entity_id: Optional[int] = None):
    data = queries.history(session, entity=entity or None, entity_id=entity_id, limit=200)
    return render(request, "history.html", {"data": data, "page": "history"}, viewer=viewer, lang=lang)


@router.get("/search")
def search(request: Request, session: SessionDep, viewer: ViewerDep, lang: LangDep,
           q: str = Query("", max_length=200), offset: int = Query(0, ge=0)):
    return render_cached(request, session, "search.html",
                         lambda: {"data": search_service(session, q, limit=SEARCH_PAGE, offset=offset), "page": "search"},
                         viewer=viewer, lang=lang)
