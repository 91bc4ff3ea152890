"""Alembic environment: uses the connection planwatch.store.migrate passes, or the configured URL."""
from __future__ import annotations

from alembic import context

from planwatch.store.migrate import include_name
from planwatch.store.models import Base

config = context.config
target_metadata = Base.metadata




def _run(connection) -> None:
    # Batch mode renders ALTERs as copy-and-move on SQLite and as plain ALTERs on PostgreSQL, so one
    # revision file serves both backends.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from planwatch.store.db import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
