"""The PostgreSQL-only column of the index, as an ORM expression.

Migration 0002 adds ``document`` (a generated, weighted ``tsvector``) and the GIN indexes on
PostgreSQL only; the model does not know the column, so SQLite never sees it. ``CONFIG`` is the
text search configuration that column was built with; queries must use the same.
"""
from django.contrib.postgres.search import SearchVectorField
from django.db.models import Expression

CONFIG = "english"


class Document(Expression):
    """The ``document`` column (``tsvector``) of ``search_searchentry``, for ranking and ``@@`` matching."""

    def __init__(self):
        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        return '"search_searchentry"."document"', []
