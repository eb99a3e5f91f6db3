# SPDX-License-Identifier: GPL-3.0-or-later
"""A PostgreSQL server for the hub tests, when one is available.

`./dev.sh test` (and so `.ci/run`) installs and starts Debian's postgresql and exports
`RED_STEWARD_TEST_PG`: the address of a role that may create databases. Each test gets a database
of its own, dropped afterwards. Without the variable, those tests are skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

PG_ENV = "RED_STEWARD_TEST_PG"


def admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server for the tests (${PG_ENV}; ./dev.sh test starts one)")
    return url


def _connect(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    parsed = make_url(url)
    return psycopg.connect(
        host=parsed.host or "",
        port=parsed.port or 5432,
        user=parsed.username or "",
        password=parsed.password or "",
        dbname=parsed.database or "postgres",
        autocommit=True,
    )


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty database on the test server; yields its address (postgresql://…)."""
    url = admin_url()
    name = f"rs_test_{uuid.uuid4().hex[:16]}"
    with _connect(url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        import psycopg

        with _connect(url) as conn:
            try:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except psycopg.errors.InsufficientPrivilege:
                # An autovacuum worker (no role: PostgreSQL 15 lets no ordinary role terminate
                # it with FORCE) was on the database; a plain DROP cancels it by itself.
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
