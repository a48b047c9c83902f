"""Alembic environment: the URL and connection come from dudao.web.migrate."""
from alembic import context

from dudao.web import models  # noqa: F401  (registers the tables)
from dudao.web.db import Base

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
