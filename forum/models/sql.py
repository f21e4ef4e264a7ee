"""SQL of our own read into models, for the few queries on every post and page where the ORM's
building of them cost more than PostgreSQL's answer (see "Speed" in the README)."""

from __future__ import annotations

from django.db import connections


def plain_columns(model) -> list[str]:
    """A model's columns in field order: each named as its attribute (no db_column) and read
    as the database gives it (no from_db_value): what SQL of our own may pass to from_db."""
    fields = model._meta.concrete_fields
    assert all(f.column == f.attname and not hasattr(f, "from_db_value") for f in fields)
    return [field.column for field in fields]


def instances_from_sql(model, sql: str, params, extra=(), *, using: str) -> list:
    """`model` instances from SQL that selects the model's plain_columns, then one value for
    each name in `extra`, which every instance gets as an attribute (as annotate() gives it)."""
    fields = plain_columns(model)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        instance = model.from_db(using, fields, row[: len(fields)])
        for name, value in zip(extra, row[len(fields) :], strict=True):
            setattr(instance, name, value)
        found.append(instance)
    return found


def compiled_once(query, stand_in) -> tuple[str, tuple, int]:
    """A queryset's SQL and parameters, and where among them `stand_in` (a value the query was
    built with, to be replaced per call) stands: so a query can be compiled once per process
    and the ORM stay the one place its rules are written."""
    sql, params = query.query.sql_with_params()
    assert [type(p) for p in params if p == stand_in] == [type(stand_in)], params
    return sql, params, params.index(stand_in)
