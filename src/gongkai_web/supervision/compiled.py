"""The overview's queries compiled once and run again: building and compiling them (the
deadline's and the stage's ``CASE``, the filtered join, the grouping) cost ~3 ms of Python per
overview, several times what the database takes to answer them.

``fetch(model, key, build)`` runs the query ``build()`` returns; the first time for ``key`` it
builds and compiles it, and keeps the SQL and its parameters for the next times; the values read
are converted as Django converts them (e.g. SQLite's dates and times).  ``key`` must name
everything the query depends on (the overview's: the subtree's root, the year, today's date, the filters, the order and
the page) — the same key, the same SQL and parameters.

Kept per database alias, the last ``SIZE`` keys: the SQL, its parameters, the model and the query's
selected expressions (to convert the values read); nothing that refers to a connection (each thread
runs the SQL on its own connection and converts with it).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.sql import Query

#: compiled queries kept (the least recently used are dropped; ~50 KiB each, most of it the selected
#: expressions; a query dropped costs what it cost before: building and compiling it once more)
SIZE = 64


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple[Any, ...]
    model: type[Model] | None  # None: a query that can match nothing
    #: the selected expressions (the values' converters come from them)
    fields: tuple[Any, ...]
    width: int


_KEPT: OrderedDict[tuple[str, Hashable], Compiled] = OrderedDict()
_LOCK = Lock()


def _compile(qs: QuerySet[Any], connection: BaseDatabaseWrapper) -> Compiled:
    compiler = qs.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return Compiled("", (), None, (), 0)
    width = compiler.col_count if compiler.col_count is not None else len(compiler.select)
    return Compiled(sql, tuple(params), qs.model, tuple(s[0] for s in compiler.select[:width]), width)


def fetch(model: type[Model], key: Hashable, build: Callable[[], QuerySet[Any]]) -> list[tuple[Any, ...]]:
    """The rows (tuples, converted as Django converts them) of the ``values_list`` query
    ``build()`` returns, compiled once per ``key`` and database."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    with _LOCK:
        compiled = _KEPT.get((alias, key))
        if compiled is not None:
            _KEPT.move_to_end((alias, key))
    if compiled is None:
        compiled = _compile(build(), connection)
        with _LOCK:
            _KEPT[(alias, key)] = compiled
            while len(_KEPT) > SIZE:
                _KEPT.popitem(last=False)
    if compiled.model is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        rows: Iterable[Sequence[Any]] = cursor.fetchall()
    compiler = Query(compiled.model).get_compiler(connection=connection)  # to convert as Django does
    converters = compiler.get_converters(compiled.fields)
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [tuple(r[:compiled.width]) for r in rows]
