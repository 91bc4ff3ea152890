"""Dependencies shared by the API and the pages: database session, language, who is asking, CSRF.

Who is asking: an `Authorization: Bearer <token>` header (scripts; no cookie, so no CSRF check), else the
user name in the signed session cookie (browsers). Every unsafe request made with the cookie must carry the
session's CSRF token, as the `csrf_token` form field or the `X-CSRF-Token` header (htmx sends the header).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any, Callable, Iterator

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session, sessionmaker

from ..services.auth import user_by_name, user_by_token
from .labels import LANGS
from .settings import Settings

LANG_COOKIE = "planwatch_lang"


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_factory(request: Request) -> sessionmaker[Session]:
    return request.app.state.factory


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
FactoryDep = Annotated[sessionmaker, Depends(get_factory)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or \
        request.app.state.settings.default_lang
    return lang if lang in LANGS else "zh"


LangDep = Annotated[str, Depends(get_lang)]


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a name and role, or anonymous; `via` is "token", "session" or ""."""
    name: str = ""
    role: str = ""
    via: str = ""

    @property
    def can_write(self) -> bool:
        return self.role in ("admin", "editor")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the login form makes one for anonymous visitors too)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def get_viewer(request: Request, session: SessionDep) -> Viewer:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        user = user_by_token(session, auth[7:].strip())
        if user is None:
            raise HTTPException(401, "invalid API token", headers={"WWW-Authenticate": "Bearer"})
        return Viewer(user.name, user.role, "token")
    name = request.session.get("user")
    if name and (user := user_by_name(session, name)) is not None:
        return Viewer(user.name, user.role, "session")
    return Viewer()


ViewerDep = Annotated[Viewer, Depends(get_viewer)]


def require_reader(request: Request, viewer: ViewerDep) -> Viewer:
    """Anyone may read, unless the site is private: then any logged-in user or token."""
    if request.app.state.settings.private and not viewer.role:
        raise HTTPException(401, "login required", headers={"WWW-Authenticate": "Bearer"})
    return viewer


async def check_csrf(request: Request) -> None:
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None and "form" in request.headers.get("content-type", ""):
        sent = (await request.form()).get("csrf_token")
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(expected, sent):
        raise HTTPException(403, "CSRF token missing or wrong: reload the page and try again")


async def require_writer(request: Request, viewer: ViewerDep) -> Viewer:
    """An editor or admin; with the session cookie, the CSRF token must match too."""
    if not viewer.role:
        raise HTTPException(401, "login required to change the ledger", headers={"WWW-Authenticate": "Bearer"})
    if viewer.via == "session":
        await check_csrf(request)
    if not viewer.can_write:
        raise HTTPException(403, f"user {viewer.name!r} ({viewer.role}) may not change the ledger")
    return viewer


WriterDep = Annotated[Viewer, Depends(require_writer)]


def apply_change(factory: sessionmaker, change: Callable[[Session], Any]) -> Any:
    """One correction in its own transaction (services.review, audited), then the verdicts refreshed.

    Review errors become 400, conflicts (someone changed the row since it was read) 409.
    """
    from ..services.assessments import refresh
    from ..services.review import ConflictError, ReviewError

    try:
        with factory.begin() as s:
            result = change(s)
    except ConflictError as e:
        raise HTTPException(409, str(e)) from e
    except ReviewError as e:
        raise HTTPException(400, str(e)) from e
    with factory.begin() as s:
        refresh(s)
    return result
