"""Settings of the web app, from arguments or the environment (PLANWATCH_*), read once per process."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    db_url: str | None = None  # None: $PLANWATCH_DB, else sqlite:///planwatch.db (store.resolve_url)
    # Private: every page and API call needs a logged-in user or a token (any role); else reading is public.
    private: bool = False
    # Signs the session cookie. Several workers must share it: `planwatch serve` passes one to all of them.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    cookie_secure: bool = False  # set behind HTTPS so the session cookie is never sent in clear
    session_max_age: int = 8 * 3600
    default_lang: str = "zh"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    kw = {}
    if os.environ.get("PLANWATCH_SECRET"):
        kw["secret_key"] = os.environ["PLANWATCH_SECRET"]
    return Settings(db_url=os.environ.get("PLANWATCH_DB") or None, private=_flag("PLANWATCH_PRIVATE"),
                    cookie_secure=_flag("PLANWATCH_COOKIE_SECURE"), **kw)
