"""Login, logout and the review forms of the pages. Every edit goes through services.review (audited).

Forms are posted by htmx (which sends the CSRF token as a header, set once on <body>) and, without
JavaScript, as plain forms carrying a `csrf_token` field. The answer is the refreshed claim panel for htmx,
else a redirect to the claim's page.
"""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ...services import queries
from ...services.auth import authenticate
from ...services.review import EDITABLE
from ..deps import FactoryDep, LangDep, SessionDep, Viewer, ViewerDep, WriterDep, apply_change, check_csrf
from .common import render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _safe_next(url: str | None) -> str:
    return url if url and url.startswith("/") and not url.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, viewer: ViewerDep, lang: LangDep, next: Optional[str] = None):
    from ..deps import csrf_token

    return render(request, "login.html", {"next": _safe_next(next), "error": "", "login_csrf": csrf_token(request),
                                          "page": "login"}, viewer=viewer, lang=lang)


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(request: Request, session: SessionDep, lang: LangDep, name: str = Form(...), password: str = Form(...),
          next: str = Form("/")):
    user = authenticate(session, name.strip(), password)
    if user is None:
        from ..deps import csrf_token

        return render(request, "login.html", {"next": _safe_next(next), "error": "login.failed",
                                              "login_csrf": csrf_token(request), "page": "login"},
                      viewer=Viewer(), lang=lang, status_code=401)
    session.commit()  # a rehashed password
    request.session.clear()  # a new session on login: no fixation of an old CSRF token
    request.session["user"] = user.name
    from ..deps import csrf_token

    csrf_token(request)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/", status_code=303)


def _panel(request: Request, factory, claim_id: int, viewer: Viewer, lang: str):
    if request.headers.get("hx-request") != "true":
        return RedirectResponse(f"/claims/{claim_id}", status_code=303)
    with factory() as s:
        detail = queries.claim_detail(s, claim_id)
    return render(request, "claim_panel.html", {"detail": detail, "saved": True}, viewer=viewer, lang=lang)


@router.post("/claims/{claim_id}/confirm")
def confirm(request: Request, claim_id: int, factory: FactoryDep, who: WriterDep, lang: LangDep,
            version: Optional[int] = Form(None), reason: str = Form("")):
    from ...services.review import confirm_claim

    apply_change(factory, lambda s: confirm_claim(s, claim_id, user=who.name, version=version, reason=reason))
    return _panel(request, factory, claim_id, who, lang)


@router.post("/claims/{claim_id}/reject")
def reject(request: Request, claim_id: int, factory: FactoryDep, who: WriterDep, lang: LangDep,
           version: Optional[int] = Form(None), reason: str = Form("")):
    from ...services.review import reject_claim

    apply_change(factory, lambda s: reject_claim(s, claim_id, user=who.name, version=version, reason=reason))
    return _panel(request, factory, claim_id, who, lang)


@router.post("/claims/{claim_id}/edit")
async def edit(request: Request, claim_id: int, factory: FactoryDep, who: WriterDep, lang: LangDep):
    from ...services.review import edit_claim

    form = await request.form()
    changes = {k: form[k] for k in EDITABLE if k in form and k != "flags"}
    version = int(form["version"]) if form.get("version") else None
    reason = str(form.get("reason") or "")
    apply_change(factory, lambda s: edit_claim(s, claim_id, changes, user=who.name, version=version, reason=reason))
    return _panel(request, factory, claim_id, who, lang)


@router.post("/claims/{claim_id}/link")
def link(request: Request, claim_id: int, factory: FactoryDep, who: WriterDep, lang: LangDep,
         actual_id: int = Form(...), action: str = Form("add"), comparable: bool = Form(True),
         reason: str = Form("")):
    from ...services.review import add_link, remove_link

    if action == "remove":
        apply_change(factory, lambda s: remove_link(s, claim_id, actual_id, user=who.name, reason=reason))
    else:
        apply_change(factory, lambda s: add_link(s, claim_id, actual_id, user=who.name, comparable=comparable,
                                                 reason=reason))
    return _panel(request, factory, claim_id, who, lang)


@router.post("/claims/{claim_id}/override")
def override(request: Request, claim_id: int, factory: FactoryDep, who: WriterDep, lang: LangDep,
             status: str = Form(...), reason: str = Form(""), version: Optional[int] = Form(None)):
    from ...services.review import override_assessment

    apply_change(factory, lambda s: override_assessment(s, claim_id, None if status == "clear" else status,
                                                        reason=reason, user=who.name, version=version))
    return _panel(request, factory, claim_id, who, lang)
