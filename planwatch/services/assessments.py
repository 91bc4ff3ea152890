"""Use case: recompute links and assessments over the whole store, and read them back as records.

Human decisions are inputs, never outputs, of this step: a link a human added (`manual`), confirmed or
rejected stays as it is and takes part (or not) in the verdicts; only `auto` links are recomputed. An
assessment override stays on its row and replaces the computed status in every output.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, joinedload

from ..model import Assessment, Claim, Link
from ..store.models import AssessmentRow, ClaimRow, DocumentRow, HUMAN_LINK_STATUSES, LinkRow, utcnow
from ..store.repo import claim_from_row, claim_record


@dataclass
class ReassessResult:
    as_of: int
    targets: int
    actuals: int
    links: int  # links used (auto + human)
    assessments: int
    statuses: dict[str, int]


def json_safe(x: Any) -> Any:
    """JSON that every backend stores: no NaN/Infinity (PostgreSQL's jsonb rejects them), lists for tuples."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set)):
        return [json_safe(v) for v in x]
    if x is None or isinstance(x, (str, int, bool)):
        return x
    return str(x)


def default_as_of(session: Session) -> int:
    """The latest document year in the store (the year the newest results speak of), else this year."""
    return session.scalar(select(func.max(DocumentRow.year))) or utcnow().year


class _Ids:
    """Maps the Claim objects handed to the pure steps back to their rows."""

    def __init__(self, rows: Iterable[ClaimRow]):
        self.claims: dict[int, Claim] = {}
        self._by_obj: dict[int, int] = {}
        self._by_value: dict[Claim, int] = {}
        for r in rows:
            c = claim_from_row(r)
            self.claims[r.id] = c
            self._by_obj[id(c)] = r.id
            self._by_value.setdefault(c, r.id)

    def of(self, claim: Claim) -> int | None:
        return self._by_obj.get(id(claim)) or self._by_value.get(claim)


def _human_link(row: LinkRow, ids: _Ids) -> Link | None:
    t, a = ids.claims.get(row.target_id), ids.claims.get(row.actual_id)
    if t is None or a is None:
        return None
    return Link(target=t, actual=a, method=row.method or "manual", score=row.score, comparable=row.comparable,
                reason=row.reason)


def reassess(session: Session, as_of: int | None = None) -> ReassessResult:
    """Re-link every target to the actuals and re-assess each as of `as_of` (default: latest document year)."""
    from ..assess import assess_all
    from ..links import link_claims

    as_of = as_of or default_as_of(session)
    # Claims stream in batches into plain Claim objects; the ORM rows are let go as soon as they are read
    # (at 10,000 documents they are millions of objects).
    ids = _Ids(session.scalars(select(ClaimRow).options(joinedload(ClaimRow.document))
                               .where(ClaimRow.review_status != "rejected").order_by(ClaimRow.id)
                               .execution_options(yield_per=5000)))
    targets = [c for c in ids.claims.values() if c.kind == "target"]
    actuals = [c for c in ids.claims.values() if c.kind == "actual"]

    # The year each document's actuals speak of, from the stored metadata (a work report dated 2024 reviews
    # 2023; a plan's baseline year precedes its first year), so links and stored metadata agree.
    review_years = {name: (year - 1 if doc_type in ("work_report", "five_year_plan") else year)
                    for name, year, doc_type in session.execute(
                        select(DocumentRow.name, DocumentRow.year, DocumentRow.doc_type)) if year}
    human = {(l.target_id, l.actual_id): l for l in session.scalars(
        select(LinkRow).where(LinkRow.status.in_(HUMAN_LINK_STATUSES)))}
    session.execute(delete(LinkRow).where(LinkRow.status == "auto"))
    used: list[Link] = []
    now = utcnow()
    auto: list[dict] = []
    for link in link_claims(targets, actuals, review_years=review_years):
        pair = (ids.of(link.target), ids.of(link.actual))
        if None in pair or pair in human:
            continue  # a human decided on this pair: theirs stands
        auto.append(dict(target_id=pair[0], actual_id=pair[1], method=link.method, score=link.score,
                         comparable=link.comparable, reason=link.reason, status="auto", created_by="",
                         version=1, created_at=now, updated_at=now))
        used.append(link)
        if len(auto) == INSERT_BATCH:  # written as they come: rows for millions of links would not fit
            _insert(session, LinkRow, auto)
            auto.clear()
    _insert(session, LinkRow, auto)
    for row in human.values():
        if row.status != "rejected" and (link := _human_link(row, ids)) is not None:
            used.append(link)

    assessments = assess_all(targets, used, as_of)
    _store(session, assessments, ids, as_of)
    statuses: dict[str, int] = {}
    for a in assessments:
        statuses[a.status] = statuses.get(a.status, 0) + 1
    return ReassessResult(as_of=as_of, targets=len(targets), actuals=len(actuals), links=len(used),
                          assessments=len(assessments), statuses=statuses)


def _store(session: Session, assessments: list[Assessment], ids: _Ids, as_of: int) -> None:
    stored = {r.target_id: r for r in session.scalars(select(AssessmentRow).where(AssessmentRow.as_of == as_of))}
    seen: set[int] = set()
    new: list[dict] = []
    now = utcnow()
    for a in assessments:
        tid = ids.of(a.target)
        if tid is None or tid in seen:
            continue
        seen.add(tid)
        values = dict(
            status=a.status, actual_ids=[i for i in map(ids.of, a.actuals) if i is not None],
            progress=json_safe(a.progress), time_progress=json_safe(a.time_progress),
            required_growth=json_safe(a.required_growth), forecast=a.forecast or "",
            numbers=json_safe(a.numbers), explanation=a.explanation, thresholds=json_safe(a.thresholds),
            rule=a.rule or "",
        )
        row = stored.get(tid)
        if row is None:
            new.append(dict(target_id=tid, as_of=as_of, computed_at=now, version=1, override_status=None,
                            override_reason="", override_by="", override_at=None, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.computed_at = utcnow()
    for tid, row in stored.items():
        if tid not in seen and row.override_status is None:
            session.delete(row)  # its target is gone or rejected; a human override is kept regardless
    session.flush()
    _insert(session, AssessmentRow, new)


INSERT_BATCH = 10_000


def _insert(session: Session, model, rows: list[dict]) -> None:
    """Many new rows as multi-row INSERTs (executemany), in batches: building and flushing one ORM object per
    link or verdict was most of a re-assessment's time at 1,000 documents."""
    for i in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(model), rows[i:i + INSERT_BATCH])


def assessment_record(session: Session, row: AssessmentRow, claims: dict[int, ClaimRow] | None = None) -> dict:
    """The `planwatch assess` JSON Lines contract for one target."""
    def claim(i: int) -> ClaimRow | None:
        return claims.get(i) if claims is not None else session.get(ClaimRow, i)

    actuals = [c for c in map(claim, row.actual_ids or []) if c is not None]
    rec = {
        "target": claim_record(row.target),
        "actuals": [claim_record(c) for c in actuals],
        "status": row.effective_status,
        "progress": row.progress,
        "required_growth": row.required_growth,
        "explanation": row.explanation,
        "thresholds": row.thresholds,
        "as_of": row.as_of,
        "time_progress": row.time_progress,
        "forecast": row.forecast,
        "numbers": row.numbers,
        "rule": row.rule,
        "computed_status": row.status,
        "override": None,
    }
    if row.override_status:
        rec["override"] = {"status": row.override_status, "reason": row.override_reason, "by": row.override_by,
                           "at": row.override_at.isoformat() if row.override_at else None}
        if row.override_reason:
            rec["explanation"] = f"{row.explanation}（人工认定：{row.override_reason}）" if row.explanation \
                else f"人工认定：{row.override_reason}"
    return rec


def assessment_records(session: Session, as_of: int | None = None) -> list[dict]:
    """Every assessed target as of a year (default: the latest assessed year), in document order."""
    if as_of is None:
        as_of = session.scalar(select(func.max(AssessmentRow.as_of)))
        if as_of is None:
            return []
    rows = list(session.scalars(
        select(AssessmentRow).join(AssessmentRow.target).join(ClaimRow.document)
        .options(joinedload(AssessmentRow.target).joinedload(ClaimRow.document))
        .where(AssessmentRow.as_of == as_of, ClaimRow.review_status != "rejected")
        .order_by(DocumentRow.name, ClaimRow.start, ClaimRow.id)))
    wanted = {i for r in rows for i in (r.actual_ids or [])}
    claims = {c.id: c for c in session.scalars(
        select(ClaimRow).options(joinedload(ClaimRow.document)).where(ClaimRow.id.in_(wanted)))} if wanted else {}
    return [assessment_record(session, r, claims) for r in rows]


def refresh(session: Session) -> list[ReassessResult]:
    """Re-assess every year already assessed (after a correction), or the default year when none is."""
    years = sorted(set(session.scalars(select(AssessmentRow.as_of).distinct()))) or [default_as_of(session)]
    return [reassess(session, y) for y in years]
