# SPDX-License-Identifier: GPL-3.0-or-later
"""The few SQL constructs that differ between SQLite (every PC) and PostgreSQL (a county hub).

Everything else the app writes is plain SQLAlchemy and runs on both unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Integer
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


def insert(table: Any, conn: Connection) -> Any:
    """An INSERT that can take `on_conflict_do_update` / `on_conflict_do_nothing`, for the
    database behind `conn`. Both dialects spell them alike."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def execute_many(
    conn: Connection, statement: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """`statement` (an INSERT or upsert of `columns`) once per row of plain tuples (values in
    the order of `columns`), through the driver's own executemany.

    An import writes a change-log row, a field head and more per entry: SQLAlchemy's
    executemany of dict rows builds and processes a parameter mapping per row, which cost more
    than SQLite's writing them (issue #22). Here the statement is compiled once and each value
    goes through its column type's bind processor only where the type has one (ids). Same
    statement, same values, same transaction; a driver with named parameters (PostgreSQL)
    takes the dict rows as before."""
    if not rows:
        return
    dialect = conn.dialect
    compiled = statement.compile(dialect=dialect, column_keys=list(columns))
    order = compiled.positiontup
    if dialect.paramstyle != "qmark" or order is None or set(order) - set(columns):
        conn.execute(statement, [dict(zip(columns, row, strict=True)) for row in rows])
        return
    at = {name: i for i, name in enumerate(columns)}
    steps = []
    for name in order:
        process = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        steps.append((at[name], process))
    # Column by column: one comprehension per column, not a generator per row.
    values = []
    for i, process in steps:
        column = [row[i] for row in rows]
        if process is not None:
            column = _processed(column, process)
        values.append(column)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.executemany(compiled.string, list(zip(*values, strict=True)))
    finally:
        cursor.close()


def _processed(column: list[Any], process: Any) -> list[Any]:
    """`process(value)` of each value, once per value object: an import's ids repeat (one
    origin, a few transactions, each record's id once per field), and an id's text is made in
    Python each time. Keyed by `id()`, which stays unique while `column` holds the values."""
    done: dict[int, Any] = {}
    out = []
    for value in column:
        if value is None:
            out.append(None)
            continue
        key = id(value)
        found = done.get(key, done)
        if found is done:
            found = done[key] = process(value)
        out.append(found)
    return out


class greatest(FunctionElement[int]):  # noqa: N801 - reads as the SQL function it is
    """The larger of two integers: `max(a, b)` in SQLite, `greatest(a, b)` in PostgreSQL."""

    type = Integer()
    inherit_cache = True


@compiles(greatest)
def _greatest(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"greatest({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


class days_between(FunctionElement[int]):  # noqa: N801 - reads as the SQL function it is
    """Whole days from the first date to the second: `later - earlier` in PostgreSQL,
    the difference of their Julian days in SQLite (which keeps dates as ISO text)."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between(element: days_between, compiler: Any, **kw: Any) -> str:
    earlier, later = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    earlier, later = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def defer_foreign_keys(conn: Connection) -> None:
    """Check foreign keys at commit rather than per statement, for this transaction only.

    PostgreSQL can defer only constraints declared DEFERRABLE; `migrate.upgrade` makes every
    foreign key so on PostgreSQL (`make_foreign_keys_deferrable`)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
    else:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")


def make_foreign_keys_deferrable(conn: Connection) -> int:
    """On PostgreSQL, declare every foreign key DEFERRABLE INITIALLY IMMEDIATE (idempotent):
    checked per statement as before, unless a transaction defers them. Returns how many changed."""
    if conn.dialect.name != "postgresql":
        return 0
    rows = conn.exec_driver_sql(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE contype = 'f' AND NOT condeferrable "
        "AND connamespace = current_schema()::regnamespace"
    ).all()
    for table, name in rows:
        conn.exec_driver_sql(
            f'ALTER TABLE {table} ALTER CONSTRAINT "{name}" DEFERRABLE INITIALLY IMMEDIATE'
        )
    return len(rows)
