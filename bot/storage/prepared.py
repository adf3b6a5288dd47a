"""The one fast path for SQL: the few statements every turn runs (bot/storage/conversations.py), compiled once by
SQLAlchemy and run straight on the database driver. Everything else uses SQLAlchemy Core or the ORM as usual.

SQLAlchemy still writes the SQL (per dialect) and supplies each value's conversion, so dates and JSON are stored
and read exactly as everywhere else. What is skipped is its per-execution bookkeeping (cache lookups, execution
contexts, result objects), which costs more than SQLite takes to run these statements. Measured with
bench/turn.py when the other paths were removed (November 2026): 0.55-0.68 ms per turn with this path against
1.07-2.2 ms with plain `Connection.execute`, 1.6-1.9x, well past the 15 % that would justify a second way.

The statements run on the driver connection underneath the caller's SQLAlchemy Connection, so they are part of
its transaction and commit or roll back with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None  # bind names in order, for drivers that take a tuple (SQLite)
    defaults: Mapping[str, Any]  # values fixed in the statement itself (a LIMIT, a literal default)
    bind: Mapping[str, Processor]
    result: Sequence[Processor | None]


class Prepared:
    def __init__(self, statement: ClauseElement):
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = cast(SQLCompiler, self.statement.compile(dialect=dialect))
            # Keyed by the names in the SQL (anonymous parameters, such as a literal value, get theirs here).
            bind = {compiled.bind_names[param]: proc for param in compiled.binds.values()
                    if (proc := param.type.dialect_impl(dialect).bind_processor(dialect)) is not None}
            columns = getattr(self.statement, "selected_columns", None) or []
            result = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
            positional = tuple(compiled.positiontup or ()) if dialect.positional else None
            defaults = {compiled.bind_names[p]: p.effective_value for p in compiled.binds.values() if not p.required}
            found = _Compiled(str(compiled), positional, defaults, bind, result)
            self._compiled[dialect.name] = found
        return found

    def _values(self, compiled: _Compiled, params: Mapping[str, Any]) -> Any:
        values = {**compiled.defaults, **params}
        for name, proc in compiled.bind.items():
            if name in values:
                values[name] = proc(values[name])
        if compiled.positional is not None:
            return tuple(values[name] for name in compiled.positional)
        return values

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run the statement; the rows it returns (SELECT, or INSERT ... RETURNING), with values converted."""
        compiled = self._for(conn.dialect)
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(compiled.sql, self._values(compiled, params))
            rows = cursor.fetchall() if cursor.description else []
        finally:
            cursor.close()
        if not any(compiled.result):
            return [tuple(row) for row in rows]
        return [tuple(p(v) if p else v for p, v in zip(compiled.result, row, strict=False)) for row in rows]
