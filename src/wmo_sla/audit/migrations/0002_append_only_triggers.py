# SPDX-License-Identifier: EUPL-1.2
"""Make the audit log append-only in the database itself (SQLite and PostgreSQL).

UPDATE and DELETE on the audit table are refused while the one-row guard table
``audit_guard.append_only`` is 1. Only a deliberate maintenance action (a future retention job, or
the test suite's database flush) switches it off; application code never does.
"""

from django.db import migrations

TABLE = "audit_auditevent"
GUARD = "audit_guard"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(f"CREATE TABLE {GUARD} (append_only INTEGER NOT NULL)")
    schema_editor.execute(f"INSERT INTO {GUARD} (append_only) VALUES (1)")
    if vendor == "sqlite":
        for op in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE} "
                f"WHEN (SELECT append_only FROM {GUARD}) = 1 "
                f"BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
            )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
            BEGIN
                IF (SELECT append_only FROM {GUARD}) = 1 THEN
                    RAISE EXCEPTION 'audit log is append-only';
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql;
            """
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();"
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{op}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_append_only()")
    schema_editor.execute(f"DROP TABLE IF EXISTS {GUARD}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
