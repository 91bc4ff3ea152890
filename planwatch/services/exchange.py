"""Use case: open data out (claims, assessments, indicators; Open SDG CSV, SDMX-CSV) and a ledger back in.

The claims export is the ledger's portable form: every claim with its document's metadata, the links a
human made and the verdicts a human overrode. `import_claims` loads it into an EMPTY database and
re-assesses, which reproduces the same assessments (statuses and numbers): links are recomputed from the
claims by the same rules, and human decisions travel with the claims. Document texts do not travel (only
their sha256): the quotes do, so every number stays traceable.

Nested values (flags, links, override, numbers) are JSON inside CSV/XLSX cells, so CSV round-trips as well
as JSON Lines does; floats are written with repr(), which reads back to the same float.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..store.models import AssessmentRow, ClaimRow, DocumentRow, HUMAN_LINK_STATUSES, IndicatorRow, LinkRow
from ..store.repo import CLAIM_FIELDS

WHAT = ("claims", "assessments", "indicators")
TABLE_FORMATS = ("csv", "jsonl", "xlsx")
DOC_FIELDS = ("doc_title", "doc_type", "doc_year", "doc_region", "doc_sha256", "doc_source", "doc_format",
              "doc_encoding")
REVIEW_FIELDS = ("review_status", "human", "extractor", "note", "corrected_fields", "extracted")
CLAIM_COLUMNS = ("id", "doc", *DOC_FIELDS, *[f for f in CLAIM_FIELDS], *REVIEW_FIELDS, "links", "overrides")
INT_FIELDS = {"id", "start", "end", "target_year", "baseline_year", "doc_year"}
FLOAT_FIELDS = {"value", "value_max", "baseline_value"}
JSON_FIELDS = {"flags", "links", "overrides", "corrected_fields", "extracted", "numbers", "thresholds",
               "actual_ids", "aliases", "override", "target", "actuals"}


class ExchangeError(ValueError):
    """An export or import that cannot be done (wrong file, non-empty database …)."""


# ---- export -------------------------------------------------------------------------------------------

def export_claims(session: Session) -> list[dict]:
    """Every claim (rejected ones too: their rejection is a human decision) with document and review data."""
    links: dict[int, list[dict]] = defaultdict(list)
    for l in session.scalars(select(LinkRow).where(LinkRow.status.in_(HUMAN_LINK_STATUSES)).order_by(LinkRow.id)):
        links[l.target_id].append({"actual_id": l.actual_id, "status": l.status, "method": l.method,
                                   "score": l.score, "comparable": l.comparable, "reason": l.reason,
                                   "created_by": l.created_by})
    overrides: dict[int, list[dict]] = defaultdict(list)
    for a in session.scalars(select(AssessmentRow).where(AssessmentRow.override_status.is_not(None))
                             .order_by(AssessmentRow.id)):
        overrides[a.target_id].append({"as_of": a.as_of, "status": a.override_status, "reason": a.override_reason,
                                       "by": a.override_by})
    out = []
    for r in session.scalars(select(ClaimRow).options(joinedload(ClaimRow.document)).order_by(ClaimRow.id)):
        d = r.document
        rec: dict[str, Any] = {"id": r.id, "doc": d.name, "doc_title": d.title, "doc_type": d.doc_type,
                               "doc_year": d.year, "doc_region": d.region_name, "doc_sha256": d.sha256,
                               "doc_source": d.source, "doc_format": d.format, "doc_encoding": d.encoding}
        rec.update({f: getattr(r, f) for f in CLAIM_FIELDS})
        rec.update({f: getattr(r, f) for f in REVIEW_FIELDS})
        rec["flags"] = list(r.flags or [])
        rec["links"] = links.get(r.id, [])
        rec["overrides"] = overrides.get(r.id, [])
        out.append(rec)
    return out


def export_assessments(session: Session, as_of: int | None = None) -> list[dict]:
    """The `planwatch assess` records (JSON Lines); flattened for CSV/XLSX by `flatten_assessment`."""
    from .assessments import assessment_records

    return assessment_records(session, as_of)


def flatten_assessment(rec: dict) -> dict:
    t = rec["target"]
    return {"target_id": t["id"], "doc": t["doc"], "indicator": t["indicator"], "region": t["region"],
            "measure": t["measure"], "comparator": t["comparator"], "value": t["value"],
            "value_max": t["value_max"], "unit": t["unit"], "target_year": t["target_year"],
            "period": t["period"], "quote": t["quote"], "as_of": rec["as_of"], "status": rec["status"],
            "computed_status": rec["computed_status"], "progress": rec["progress"],
            "time_progress": rec["time_progress"], "required_growth": rec["required_growth"],
            "forecast": rec["forecast"], "explanation": rec["explanation"], "rule": rec["rule"],
            "actual_ids": [a["id"] for a in rec["actuals"]], "numbers": rec["numbers"],
            "thresholds": rec["thresholds"], "override": rec["override"]}


def export_indicators(session: Session) -> list[dict]:
    cols = ("code", "name", "aliases", "unit", "measure", "direction", "category", "attribute", "needs_review")
    return [{c: getattr(r, c) for c in cols} for r in session.scalars(select(IndicatorRow).order_by(IndicatorRow.code))]


def _cell(v: Any) -> Any:
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, float):
        return repr(v)
    return "" if v is None else v


def write_table(records: list[dict], fmt: str, path: str | Path | None = None, sheet: str = "data") -> bytes:
    """Records as CSV (UTF-8 with BOM, so Excel opens Chinese correctly), JSON Lines or XLSX; written to `path`
    when given. Returns the bytes."""
    if fmt == "jsonl":
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    elif fmt == "csv":
        buf = io.StringIO()
        cols = list(records[0]) if records else []
        w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in records:
            w.writerow({k: _cell(v) for k, v in r.items()})
        data = ("\ufeff" + buf.getvalue()).encode()
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = sheet
        cols = list(records[0]) if records else []
        ws.append(cols)
        for r in records:
            ws.append([json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list, tuple)) else v
                       for v in (r.get(c) for c in cols)])
        ws.freeze_panes = "A2"
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    else:
        raise ExchangeError(f"unknown format {fmt!r} (one of {', '.join(TABLE_FORMATS)}, opensdg, sdmx)")
    if path is not None:
        Path(path).write_bytes(data)
    return data


# ---- Open SDG and SDMX-CSV: the actuals (and targets) as statistical series ---------------------------

def _year_of(rec: dict, review_year: int | None) -> int | None:
    if rec.get("target_year"):
        return rec["target_year"]
    years = re.findall(r"(?:19|20)\d\d", rec.get("period") or "")
    if years and "月" not in (rec.get("period") or ""):
        return int(years[-1])  # 2023 → 2023, 2016-2020 → 2020 (the year the value speaks of)
    return None if years else review_year


def _series_rows(session: Session) -> list[dict]:
    """Claims with a number, a year and a canonical indicator, as observations."""
    review = {name: (year - 1 if dt in ("work_report", "five_year_plan") else year)
              for name, year, dt in session.execute(select(DocumentRow.name, DocumentRow.year, DocumentRow.doc_type))
              if year}
    inds = {r.id: r for r in session.scalars(select(IndicatorRow))}
    out = []
    for c in session.scalars(select(ClaimRow).options(joinedload(ClaimRow.document))
                             .where(ClaimRow.review_status != "rejected").order_by(ClaimRow.id)):
        ind = inds.get(c.indicator_id)
        if c.value is None or ind is None:
            continue
        rec = {"target_year": c.target_year, "period": c.period}
        year = _year_of(rec, review.get(c.document.name)) if c.kind == "actual" else c.target_year
        if not year:
            continue
        out.append({"indicator": ind, "kind": c.kind, "year": year, "region": c.region, "measure": c.measure,
                    "unit": c.unit, "value": c.value, "estimate": "estimate" in (c.flags or []),
                    "quote": c.quote, "doc": c.document.name, "claim_id": c.id})
    return out


def _slug(code: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_\-]+", code):
        return code
    return "x" + hashlib.sha1(code.encode()).hexdigest()[:10]


def export_opensdg(session: Session, folder: str | Path) -> list[Path]:
    """Open SDG style: one tidy CSV per indicator (Year, Region, Series, Units, Value) and metadata.csv.

    Only actuals are data; targets are listed in the metadata. When several documents report the same
    observation, the first stored one is kept (Open SDG wants one value per year and disaggregation).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    by_ind: dict[str, list[dict]] = defaultdict(list)
    targets: dict[str, list[str]] = defaultdict(list)
    for o in _series_rows(session):
        code = o["indicator"].code
        if o["kind"] == "actual":
            by_ind[code].append(o)
        else:
            targets[code].append(f"{o['year']}: {o['value']:g}{o['unit']}")
    written, meta = [], []
    for code, obs in sorted(by_ind.items()):
        ind = obs[0]["indicator"]
        seen, rows = set(), []
        for o in sorted(obs, key=lambda o: (o["year"], o["region"], o["measure"], o["unit"])):
            key = (o["year"], o["region"], o["measure"], o["unit"])
            if key in seen:
                continue
            seen.add(key)
            rows.append({"Year": o["year"], "Region": o["region"], "Series": o["measure"], "Units": o["unit"],
                         "Value": repr(o["value"]) if isinstance(o["value"], float) else o["value"]})
        path = folder / f"indicator_{_slug(code)}.csv"
        write_table(rows, "csv", path)
        written.append(path)
        meta.append({"file": path.name, "code": code, "name": ind.name, "unit": ind.unit, "measure": ind.measure,
                     "direction": ind.direction, "category": ind.category, "attribute": ind.attribute,
                     "targets": "; ".join(targets.get(code, [])),
                     "sources": "; ".join(sorted({o["doc"] for o in obs}))})
    meta_path = folder / "metadata.csv"
    write_table(meta, "csv", meta_path)
    return [meta_path] + written


SDMX_COLUMNS = ("DATAFLOW", "REF_AREA", "INDICATOR", "SERIES", "VALUE_TYPE", "UNIT_MEASURE", "TIME_PERIOD",
                "OBS_VALUE", "OBS_STATUS", "INDICATOR_NAME", "SOURCE_DOC", "COMMENT")
SDMX_DATAFLOW = "PLANWATCH:PLAN_MONITORING(1.0)"


def export_sdmx(session: Session, path: str | Path | None = None) -> bytes:
    """SDMX-CSV (one observation a row): actuals (VALUE_TYPE=ACTUAL; OBS_STATUS A, or E for 预计 estimates)
    and targets (VALUE_TYPE=TARGET, OBS_STATUS F)."""
    rows = []
    for o in _series_rows(session):
        actual = o["kind"] == "actual"
        rows.append({"DATAFLOW": SDMX_DATAFLOW, "REF_AREA": o["region"], "INDICATOR": o["indicator"].code,
                     "SERIES": o["measure"], "VALUE_TYPE": "ACTUAL" if actual else "TARGET",
                     "UNIT_MEASURE": o["unit"], "TIME_PERIOD": o["year"], "OBS_VALUE": o["value"],
                     "OBS_STATUS": ("E" if o["estimate"] else "A") if actual else "F",
                     "INDICATOR_NAME": o["indicator"].name, "SOURCE_DOC": o["doc"], "COMMENT": o["quote"]})
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=SDMX_COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(v) for k, v in r.items()})
    data = buf.getvalue().encode()
    if path is not None:
        Path(path).write_bytes(data)
    return data


# ---- import -------------------------------------------------------------------------------------------

def _typed(rec: dict) -> dict:
    """A CSV row back to typed values ("" → None for numbers, JSON cells decoded)."""
    out = {}
    for k, v in rec.items():
        if isinstance(v, str):
            if k in INT_FIELDS:
                v = int(v) if v.strip() else None
            elif k in FLOAT_FIELDS:
                v = float(v) if v.strip() else None
            elif k in JSON_FIELDS:
                v = json.loads(v) if v.strip() else None
            elif k == "human":
                v = v.strip().lower() in ("true", "1", "yes")
        out[k] = v
    return out


def read_records(path: str | Path) -> list[dict]:
    p = Path(path)
    text = p.read_text(encoding="utf-8-sig")
    if p.suffix.lower() == ".csv":
        return [_typed(r) for r in csv.DictReader(io.StringIO(text))]
    if p.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    raise ExchangeError(f"{p.name}: cannot import {p.suffix or 'a file without suffix'} (a .jsonl or .csv claims export)")


def import_claims(session: Session, records: Iterable[dict]) -> dict[str, int]:
    """Load a claims export into an empty database (documents, regions, indicators, claims, human links,
    overrides). Returns counts. Runs in the caller's transaction; call `reassess` afterwards."""
    from ..store.repo import ensure_indicators
    from .ingest import _region_row

    if session.scalar(select(func.count()).select_from(DocumentRow)):
        raise ExchangeError("import needs an empty database (this one already holds documents)")
    records = sorted(records, key=lambda r: (r.get("id") or 0))
    missing = {"doc", "kind", "quote", "start", "end"} - set(records[0]) if records else set()
    if missing:
        raise ExchangeError(f"not a claims export: no {', '.join(sorted(missing))} column")
    try:
        from ..indicators import resolve_indicator
    except ImportError:  # pragma: no cover - the catalog ships with the package
        resolve_indicator = None
    docs: dict[str, DocumentRow] = {}
    for r in records:
        name = r["doc"]
        if name in docs:
            continue
        sha = r.get("doc_sha256") or hashlib.sha256(f"import:{name}".encode()).hexdigest()
        docs[name] = DocumentRow(name=name, sha256=sha, title=r.get("doc_title") or "",
                                 doc_type=r.get("doc_type") or "article", year=r.get("doc_year"),
                                 region=_region_row(session, r.get("doc_region") or ""),
                                 source=r.get("doc_source") or "", format=r.get("doc_format") or "txt",
                                 encoding=r.get("doc_encoding") or "", extractor="import")
        session.add(docs[name])
    session.flush()
    triples = {(r.get("indicator") or "", r.get("measure") or "", r.get("unit") or "") for r in records}
    ind_ids: dict[tuple, int] = {}
    if resolve_indicator is not None:
        resolved = {k: resolve_indicator(*k) for k in triples if k[0]}
        rows = ensure_indicators(session, resolved.values())
        session.flush()
        ind_ids = {k: rows[ind.code].id for k, ind in resolved.items()}
    ids: dict[int, int] = {}
    for r in records:
        values = {f: r.get(f) for f in CLAIM_FIELDS}
        values["flags"] = list(values.get("flags") or [])
        for f in ("measure", "indicator", "region", "unit", "qualifier", "period", "attribute", "rule", "section"):
            values[f] = values.get(f) or ""
        values["comparator"] = values.get("comparator") or "="
        values["source"] = values.get("source") or "text"
        row = ClaimRow(document_id=docs[r["doc"]].id, **values,
                       indicator_id=ind_ids.get((values["indicator"], values["measure"], values["unit"])),
                       review_status=r.get("review_status") or "extracted", human=bool(r.get("human")),
                       extractor=r.get("extractor") or "rules", note=r.get("note") or "",
                       corrected_fields=r.get("corrected_fields") or [], extracted=r.get("extracted"))
        session.add(row)
        session.flush()
        if r.get("id") is not None:
            ids[r["id"]] = row.id
    links = overrides = 0
    for r in records:
        new_id = ids.get(r.get("id"))
        for l in r.get("links") or []:
            actual = ids.get(l.get("actual_id"))
            if new_id is None or actual is None:
                continue
            session.add(LinkRow(target_id=new_id, actual_id=actual, method=l.get("method") or "manual",
                                score=l.get("score") if l.get("score") is not None else 1.0,
                                comparable=l.get("comparable", True), reason=l.get("reason") or "",
                                status=l.get("status") or "manual", created_by=l.get("created_by") or ""))
            links += 1
        for o in r.get("overrides") or []:
            if new_id is None:
                continue
            # a stub the next reassess fills in; its override stays, as with any stored override
            session.add(AssessmentRow(target_id=new_id, as_of=o["as_of"], status="", override_status=o["status"],
                                      override_reason=o.get("reason") or "", override_by=o.get("by") or ""))
            overrides += 1
    session.flush()
    return {"documents": len(docs), "claims": len(ids) or len(records), "links": links, "overrides": overrides}
