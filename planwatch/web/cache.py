"""Rendered responses kept per ledger version: what every visitor sees is computed once per write.

A read of the ledger (the overview, an indicator, a search) gives the same bytes to everyone until the next
write raises the ledger stamp (store/stamp.py), so the bytes are kept under (what was asked, the stamp). The
stamp costs one primary-key lookup per request; an old version's entries are never asked for again and age
out of the LRU. Each app worker process keeps its own cache: they agree because the key is the database's
stamp, not anything local to a process.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from ..services.queries import ledger_version

MAX_ENTRIES = 512  # a few hundred distinct pages and searches; ~100 KB each at most in practice


class LRU:
    def __init__(self, size: int = MAX_ENTRIES):
        self.size, self._data, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            body = self._data.get(key)
            if body is not None:
                self._data.move_to_end(key)
            return body

    def put(self, key: tuple, body) -> None:
        with self._lock:
            self._data[key] = body
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


RESPONSES = LRU()


def request_key(request: Request, session: Session, *extra) -> tuple:
    return (request.url.path, request.url.query, *extra) + ledger_version(session)


def shared_data(session: Session, what: tuple, build: Callable[[], object]) -> object:
    """What `build()` returns, kept under `what` and the ledger version: for data a page and its JSON twin both
    show (the overview, the costliest read), so that the first of them to be asked builds it for both."""
    key = ("data", *what) + ledger_version(session)
    data = RESPONSES.get(key)
    if data is None:
        data = build()
        RESPONSES.put(key, data)
    return data


def cached_json(request: Request, session: Session, build: Callable[[], object], model: type[BaseModel]) -> Response:
    """The JSON of `build()` validated by `model` (what `response_model` would send), from the cache when the
    ledger has not changed since it was made."""
    key = request_key(request, session, "json")
    body = RESPONSES.get(key)
    if body is None:
        body = model.model_validate(build()).model_dump_json().encode()
        RESPONSES.put(key, body)
    return Response(body, media_type="application/json")
