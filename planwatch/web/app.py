"""The FastAPI app: JSON API (/api/v1, OpenAPI at /api/v1/openapi.json), HTML pages, static assets.

    create_app("sqlite:///out/planwatch.db")     # tests, embedding
    planwatch serve --db URL                      # uvicorn, one or more workers (app_from_env)

All assets (htmx, ECharts, CSS) are served from the package: no page makes a request to another host.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from ..store import open_db
from .api.routes import read as api_read, write as api_write
from .deps import LANG_COOKIE, Viewer, get_lang
from .labels import LANGS
from .settings import Settings, get_settings
from .views import edits, pages

STATIC = Path(__file__).with_name("static")
SESSION_COOKIE = "planwatch_session"


def create_app(db_url: str | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="planwatch 规划监测", version="1", docs_url="/api/v1/docs", redoc_url=None,
                  openapi_url="/api/v1/openapi.json",
                  description="Plan targets, reported results and verdicts, every number with its quote.")
    app.state.settings = settings
    app.state.factory = open_db(db_url or settings.db_url)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie=SESSION_COOKIE,
                       max_age=settings.session_max_age, same_site="lax", https_only=settings.cookie_secure)

    @app.middleware("http")
    async def remember_lang(request: Request, call_next):
        response = await call_next(request)
        lang = request.query_params.get("lang")
        if lang in LANGS and request.cookies.get(LANG_COOKIE) != lang:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
        # Pages show what the store holds now; a browser must not show an older verdict after an edit.
        response.headers.setdefault("Cache-Control", "no-store" if not request.url.path.startswith("/static")
                                    else "public, max-age=86400")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        # The API and htmx fragments get the reason as JSON (static/app.js shows it in the page's flash).
        if request.url.path.startswith("/api/") or request.headers.get("hx-request") == "true":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 401 and request.method == "GET":
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        from .views.common import render

        return render(request, "error.html", {"status": exc.status_code, "detail": exc.detail, "page": ""},
                      viewer=Viewer(), lang=get_lang(request), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return JSONResponse({"detail": exc.errors()}, status_code=422)

    app.include_router(api_read)
    app.include_router(api_write)
    app.include_router(edits.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def app_from_env() -> FastAPI:
    """The app of `planwatch serve` workers: database and secret from the environment (PLANWATCH_*)."""
    return create_app()
