"""Saving a document and its extracted claims, keeping every human decision.

Re-extraction (a changed version of a file, or `ingest --force`) reconciles the new claims with the stored
ones instead of replacing them:
- claims a human confirmed, corrected or rejected stay as they are; the freshly extracted claim for the same
  characters is dropped (a human correction is never overwritten, a rejected number never comes back);
- extracted claims found again keep their row (and id, so links and overrides stay attached) and take the
  extractor's new fields;
- extracted claims no longer found are deleted, unless a human link or an assessment override uses them;
- when the text changed, stored spans are moved to where their quote now is (`anchor_lost` when it is gone).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Sequence

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from ..model import Claim, Document, Indicator, Section
from .models import AssessmentRow, ClaimRow, DocumentRow, HUMAN_LINK_STATUSES, LinkRow, Region, SectionRow
from .repo import claim_values, ensure_indicators

Resolver = Callable[[str, str, str], Indicator]


@dataclass
class SaveResult:
    document: DocumentRow
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept_human: int = 0  # human-reviewed claims kept over a fresh extraction
    kept_in_use: int = 0  # extracted claims no longer found, kept because a human link or override uses them
    anchor_lost: list[int] = field(default_factory=list)  # claim ids whose quote is gone from the new text

    @property
    def claims(self) -> int:
        return self.inserted + self.updated + self.unchanged


def _nearest(haystack: str, needle: str, near: int) -> int:
    """Start of the occurrence of `needle` closest to `near`, or -1."""
    best, i = -1, haystack.find(needle)
    while i != -1:
        if best == -1 or abs(i - near) < abs(best - near):
            best = i
        i = haystack.find(needle, i + 1)
    return best


def _reanchor(rows: Sequence[ClaimRow], old: str, new: str) -> list[int]:
    lost = []
    scale = len(new) / max(len(old), 1)
    for row in rows:
        pos = _nearest(new, row.quote, int(row.start * scale)) if row.quote else -1
        if pos == -1:
            if not row.anchor_lost:
                row.anchor_lost = True
            lost.append(row.id)
            continue
        if (row.start, row.end, row.anchor_lost) != (pos, pos + len(row.quote), False):
            row.start, row.end, row.anchor_lost = pos, pos + len(row.quote), False
    return lost


def _key(v: dict) -> tuple:
    value = None if v["value"] is None or v["value"] != v["value"] else round(float(v["value"]), 9)
    return (v["start"], v["end"], value, v["indicator"], v["kind"])


def _match(rows: list[ClaimRow], new: list[dict]) -> tuple[dict[int, int], list[int]]:
    """Pair stored rows with new claims: first on span+value+indicator+kind, then on the span alone.

    A human-reviewed row is keyed on what the machine first extracted (its `extracted` snapshot) at its
    current span, and is paired first, so the human decision wins over a fresh extraction.
    """
    def row_key(r: ClaimRow) -> tuple:
        base = dict(r.extracted or {}) if r.human else {}
        v = {**{f: getattr(r, f) for f in ("value", "indicator", "kind")}, **base}
        return _key({**v, "start": r.start, "end": r.end})

    ordered = sorted(rows, key=lambda r: (not r.human, r.id))
    pairs: dict[int, int] = {}
    for keyf in (_key, lambda v: (v["start"], v["end"])):
        pool: dict[tuple, list[int]] = defaultdict(list)
        taken = set(pairs.values())
        for i, v in enumerate(new):
            if i not in taken:
                pool[keyf(v)].append(i)
        for r in ordered:
            if r.id in pairs:
                continue
            k = row_key(r) if keyf is _key else (r.start, r.end)
            if pool.get(k):
                pairs[r.id] = pool[k].pop(0)
    matched = set(pairs.values())
    return pairs, [i for i in range(len(new)) if i not in matched]


def _in_use(session: Session, claim_ids: list[int]) -> set[int]:
    """Claims a human link or an assessment override refers to."""
    if not claim_ids:
        return set()
    used: set[int] = set()
    for t, a in session.execute(select(LinkRow.target_id, LinkRow.actual_id).where(
            LinkRow.status.in_(HUMAN_LINK_STATUSES),
            or_(LinkRow.target_id.in_(claim_ids), LinkRow.actual_id.in_(claim_ids)))):
        used.update((t, a))
    used.update(session.scalars(select(AssessmentRow.target_id).where(
        AssessmentRow.override_status.is_not(None), AssessmentRow.target_id.in_(claim_ids))))
    return used & set(claim_ids)


class _Indicators:
    """Indicator row ids of (phrase, measure, unit) triples, resolved once and created in one flush."""

    def __init__(self, session: Session, resolve: Resolver | None):
        self.session, self.resolve = session, resolve
        self.ids: dict[tuple, int | None] = {}

    def prepare(self, triples) -> None:
        if self.resolve is None:
            return
        todo = {key: self.resolve(*key) for key in set(triples) - set(self.ids) if key[0]}
        rows = ensure_indicators(self.session, todo.values())
        self.session.flush()  # one flush for all new indicator rows, before any claim is written
        self.ids.update({key: rows[ind.code].id for key, ind in todo.items()})

    def id_for(self, phrase: str, measure: str, unit: str) -> int | None:
        return self.ids.get((phrase, measure, unit))


def save_document(session: Session, doc: Document, claims: Sequence[Claim], *, doc_type: str,
                  region: Region | None, year: int | None, sections: Sequence[Section] = (),
                  metadata_source: dict | None = None, resolve: Resolver | None = None,
                  previous: DocumentRow | None = None, extractor: str = "rules") -> SaveResult:
    """Store `doc` (a new row, or over `previous`, the stored version of the same file) with its claims.

    Runs inside the caller's transaction: nothing is committed here.
    """
    row = previous or DocumentRow()
    old_original = row.original if previous is not None else None
    row.sha256, row.name, row.title, row.doc_type = doc.sha256, doc.name, doc.title, doc_type
    row.region, row.year, row.source, row.format = region, year, doc.source, doc.format
    row.encoding, row.text, row.original, row.pages = doc.encoding, doc.text, doc.original, list(doc.pages)
    row.metadata_source, row.extractor = dict(metadata_source or {}), extractor
    session.add(row)
    session.flush()
    result = SaveResult(document=row)

    session.execute(delete(SectionRow).where(SectionRow.document_id == row.id))
    # Sections and new claims go in as one multi-row INSERT each (executemany), not as ORM objects: a
    # document brings hundreds of both, and building and flushing objects was most of the writer's time.
    section_rows = []
    for s in sections:
        start, end = doc.to_original(s.start, s.end)  # stored spans point into `original`, like claims
        section_rows.append(dict(document_id=row.id, kind=s.kind, title=s.title, path=list(s.path),
                                 level=s.level, start=start, end=end))
    if section_rows:
        session.execute(insert(SectionRow), section_rows)

    stored = list(session.scalars(select(ClaimRow).where(ClaimRow.document_id == row.id))) if previous else []
    if stored and old_original != doc.original:
        result.anchor_lost = _reanchor(stored, old_original or "", doc.original)
    new = [claim_values(c) for c in claims]
    pairs, fresh = _match(stored, new)
    indicators = _Indicators(session, resolve)
    indicators.prepare((v["indicator"], v["measure"], v["unit"]) for v in new)

    for r in stored:
        i = pairs.get(r.id)
        if r.human:
            result.kept_human += 1
        elif i is not None:
            v = new[i]
            changed = {f: x for f, x in v.items() if getattr(r, f) != x}
            if changed:
                for f, x in changed.items():
                    setattr(r, f, x)
                r.indicator_id = indicators.id_for(r.indicator, r.measure, r.unit)
                result.updated += 1
            else:
                result.unchanged += 1
    gone = [r for r in stored if not r.human and r.id not in pairs]
    in_use = _in_use(session, [r.id for r in gone])
    for r in gone:
        if r.id in in_use:
            result.kept_in_use += 1
        else:
            session.delete(r)
            result.deleted += 1

    # no `extracted` snapshot here: review.py takes it when a human first touches the claim
    claim_rows = [dict(v, document_id=row.id, extractor=extractor,
                       indicator_id=indicators.id_for(v["indicator"], v["measure"], v["unit"]))
                  for v in (new[i] for i in fresh)]
    if claim_rows:
        session.execute(insert(ClaimRow), claim_rows)
    result.inserted += len(claim_rows)
    session.flush()
    return result
