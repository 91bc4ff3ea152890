"""The search index on PostgreSQL during a bulk load: dropped while thousands of documents go in, built again
in one pass after.

Why: a pg_trgm GIN index takes every trigram of every stored text, and keeping it up to date document by
document grows dearer as it grows (bench/ingest_scale.py: 1,000 documents took 75 s with the indexes and
42 s + 12 s of rebuilding without them, and the gap widens with every thousand). Building it once from the
finished table is a single sort. SQLite's FTS5 table does not show that growth and is left alone.

Safety: searches stay correct while the index is missing (LIKE scans the table, only slower). A bulk load
holds a shared advisory lock for its whole run; `ensure_search_index` — called whenever a database is opened
— rebuilds indexes that are missing only when it can take that lock exclusively, that is when no bulk load is
running: so a load killed with kill -9 (its lock goes with its connection) gets its index back from the next
`planwatch` command, and a load still running is never raced. The tables are ANALYZEd after the load: a
server without autovacuum would otherwise plan on the statistics of an empty ledger.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import Engine, text

# Name → statement; the same as migrations a7c3e1f2b9d4 and f4c9a2e7b1d8 make.
PG_SEARCH_INDEXES = {
    "ix_document_original_trgm": "CREATE INDEX IF NOT EXISTS ix_document_original_trgm ON document "
                                 "USING gin (original gin_trgm_ops)",
    "ix_claim_indicator_trgm": "CREATE INDEX IF NOT EXISTS ix_claim_indicator_trgm ON claim "
                               "USING gin (indicator gin_trgm_ops)",
    "ix_claim_quote_trgm": "CREATE INDEX IF NOT EXISTS ix_claim_quote_trgm ON claim USING gin (quote gin_trgm_ops)",
    "ix_claim_section_trgm": "CREATE INDEX IF NOT EXISTS ix_claim_section_trgm ON claim "
                             "USING gin (section gin_trgm_ops)",
}
BULK_LOCK = 0x706C626B  # "plbk"
BUILD_MEMORY = "512MB"  # maintenance_work_mem for the rebuild: one sort in memory instead of many on disk


def _missing(conn) -> list[str]:
    present = set(conn.scalars(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")))
    return [name for name in PG_SEARCH_INDEXES if name not in present]


def _build(conn, names: list[str]) -> None:
    conn.execute(text(f"SET maintenance_work_mem = '{BUILD_MEMORY}'"))
    for name in names:
        conn.execute(text(PG_SEARCH_INDEXES[name]))


def ensure_search_index(engine: Engine) -> list[str]:
    """Build the search indexes a killed bulk load left missing (PostgreSQL). Returns the names built."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        if not _missing(conn):
            return []
        if not conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": BULK_LOCK}):
            conn.rollback()
            return []  # a bulk load is running: it builds them when it ends
        try:
            names = _missing(conn)
            _build(conn, names)
            conn.commit()
            return names
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": BULK_LOCK})
            conn.commit()


@contextmanager
def search_index_suspended(engine: Engine) -> Iterator[bool]:
    """Drop the search indexes for the duration of the block and build them again after it, also when it fails
    (PostgreSQL; elsewhere nothing happens). Yields whether the indexes were dropped."""
    if engine.dialect.name != "postgresql":
        yield False
        return
    with engine.connect() as holder:  # the shared lock lives as long as this connection
        holder.execute(text("SELECT pg_advisory_lock_shared(:k)"), {"k": BULK_LOCK})
        holder.commit()
        try:
            with engine.begin() as conn:
                for name in PG_SEARCH_INDEXES:
                    conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
            yield True
        finally:
            with engine.begin() as conn:
                _build(conn, _missing(conn))
            with engine.connect() as conn:  # fresh statistics for the planner: the tables grew many-fold
                conn.execute(text("ANALYZE document"))
                conn.execute(text("ANALYZE claim"))
                conn.commit()
            holder.execute(text("SELECT pg_advisory_unlock_shared(:k)"), {"k": BULK_LOCK})
            holder.commit()
