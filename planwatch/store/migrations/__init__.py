"""Alembic environment and revisions of the planwatch schema (run by planwatch.store.migrate)."""
