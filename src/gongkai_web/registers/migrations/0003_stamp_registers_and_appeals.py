"""The ledger stamp also changes on every write to the agency's appeals (table 四) and registers
(table 二), so the year's whole tables can be cached under it."""

from django.db import migrations

TABLES = ("cases_appeal", "registers_document", "registers_month")


def _pg(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER registers_stamp_insert AFTER INSERT ON {table}
            REFERENCING NEW TABLE AS registers_new FOR EACH STATEMENT EXECUTE FUNCTION registers_bump_new()""",
        f"""CREATE TRIGGER registers_stamp_update AFTER UPDATE ON {table}
            REFERENCING NEW TABLE AS registers_new FOR EACH STATEMENT EXECUTE FUNCTION registers_bump_new()""",
        f"""CREATE TRIGGER registers_stamp_delete AFTER DELETE ON {table}
            REFERENCING OLD TABLE AS registers_old FOR EACH STATEMENT EXECUTE FUNCTION registers_bump_old()""",
    ]


def _pg_back(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS registers_stamp_{op} ON {table}" for op in ("insert", "update", "delete")]


UPSERT = """INSERT INTO registers_ledgerstamp (agency_id, version) VALUES ({row}.agency_id, random())
    ON CONFLICT (agency_id) DO UPDATE SET version = random();"""


def _sqlite(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER registers_stamp_insert_{table} AFTER INSERT ON {table}
            BEGIN {UPSERT.format(row="NEW")} END""",
        f"""CREATE TRIGGER registers_stamp_update_{table} AFTER UPDATE ON {table}
            BEGIN {UPSERT.format(row="NEW")} END""",
        f"""CREATE TRIGGER registers_stamp_delete_{table} AFTER DELETE ON {table}
            BEGIN {UPSERT.format(row="OLD")} END""",
    ]


def _sqlite_back(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS registers_stamp_{op}_{table}" for op in ("insert", "update", "delete")]


def _run(forward: bool):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        make = {"postgresql": _pg if forward else _pg_back, "sqlite": _sqlite if forward else _sqlite_back}.get(vendor)
        if make is None:
            return
        for table in TABLES:
            for sql in make(table):
                schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_initial"),
        ("registers", "0002_ledger_stamp"),
    ]

    operations = [migrations.RunPython(_run(True), _run(False))]
