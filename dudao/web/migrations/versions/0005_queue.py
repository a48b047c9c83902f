"""The analysis queue: who holds a job and when it last showed it is alive (heartbeat); on
PostgreSQL, the schema of the task-queue library (procrastinate) that schedules the jobs there.

procrastinate's schema is its own SQL file, applied here once, in this migration's transaction.
A later procrastinate version with schema changes gets a new migration that applies that
version's migration files (procrastinate/sql/migrations/).

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("worker_id", sa.String(120), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        try:
            from procrastinate.schema import SchemaManager
        except ImportError:
            raise RuntimeError("PostgreSQL 上的分析队列需要 procrastinate：pip install 'dudao[postgresql]'") from None
        # No parameters: the driver sends the file as it is (its `%` are not placeholders).
        op.get_bind().connection.dbapi_connection.cursor().execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""DO $$ DECLARE r record; BEGIN
            FOR r IN SELECT tablename FROM pg_tables
                     WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate%' LOOP
                EXECUTE 'DROP TABLE IF EXISTS ' || quote_ident(r.tablename) || ' CASCADE'; END LOOP;
            FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%' LOOP
                EXECUTE 'DROP FUNCTION IF EXISTS ' || r.f || ' CASCADE'; END LOOP;
            FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                     WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%' AND t.typtype IN ('e', 'c') LOOP
                EXECUTE 'DROP TYPE IF EXISTS ' || quote_ident(r.typname) || ' CASCADE'; END LOOP;
            END $$""")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("worker_id")
