# SPDX-License-Identifier: GPL-3.0-or-later
"""Alembic environment: always run by desktop.models.store.migrate with a live connection."""

from __future__ import annotations

from alembic import context

from desktop.models.store.base import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` run by hand without the app
    raise SystemExit(
        "Run migrations through the app (desktop.models.store.migrate), not bare alembic."
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite's ALTER TABLE is limited; batch mode copies the table
)
with context.begin_transaction():
    context.run_migrations()
