"""Rendering helpers of the HTML pages: one Jinja2 environment (autoescape on), labels, number formats."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from ...services.review import ASSESSMENT_STATUSES
from ..cache import RESPONSES, request_key
from ..deps import Viewer, csrf_token
from ..labels import Labels

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
GOOD = ("met", "achieved", "ahead", "on_track")
BAD = ("not_met", "lagging")


def fmt_num(v: Any) -> str:
    """8200 not 8200.0, 5745.51 as written, 0.038 kept; — for no value."""
    if v is None or v == "":
        return "—"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def fmt_pct(v: Any) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


def tone(status: str | None) -> str:
    """CSS tone of a status: good, fair (basically met), bad, or none (no verdict)."""
    if status in GOOD:
        return "good"
    if status in BAD:
        return "bad"
    return "fair" if status == "basically_met" else "none"


def value_text(c: dict) -> str:
    """A claim's value as a person reads it: ≥7.5%, 62–64%, 8200亿元."""
    cmp = {">=": "≥", "<=": "≤", "~": "≈"}.get(c.get("comparator") or "", "")
    v = fmt_num(c.get("value"))
    if c.get("value_max") is not None:
        v = f"{v}–{fmt_num(c['value_max'])}"
    return f"{cmp}{v}{c.get('unit') or ''}"


def changed(state: Any, other: Any) -> str:
    """The fields of an audit before/after that differ from the other side, as JSON (all when not a dict)."""
    import json

    if isinstance(state, dict) and isinstance(other, dict):
        state = {k: v for k, v in state.items() if other.get(k) != v}
    return json.dumps(state, ensure_ascii=False, indent=1)


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters.update(num=fmt_num, pct=fmt_pct, tone=tone, value=value_text, changed=changed)
templates.env.globals["L_statuses"] = ASSESSMENT_STATUSES


def render(request: Request, name: str, ctx: dict[str, Any], *, viewer: Viewer, lang: str, status_code: int = 200):
    base = {"L": Labels(lang), "lang": lang, "viewer": viewer,
            "csrf": csrf_token(request) if viewer.via == "session" else "",
            "htmx": request.headers.get("hx-request") == "true", "private": request.app.state.settings.private}
    return templates.TemplateResponse(request, name, {**base, **ctx}, status_code=status_code)


def render_cached(request: Request, session: Session, name: str, build, *, viewer: Viewer, lang: str):
    """Anonymous visitors all see the same page for the same ledger, so the rendered bytes are kept per (URL,
    language, ledger version) until the next write (web/cache.py). A signed-in editor, whose page carries a
    CSRF token and edit buttons, and htmx fragments are always rendered afresh."""
    if viewer.name or request.headers.get("hx-request") == "true":
        return render(request, name, build(), viewer=viewer, lang=lang)
    key = request_key(request, session, name, lang)
    body = RESPONSES.get(key)
    if body is None:
        response = render(request, name, build(), viewer=viewer, lang=lang)
        if response.status_code != 200:
            return response
        body = bytes(response.body)
        RESPONSES.put(key, body)
    return HTMLResponse(body)
