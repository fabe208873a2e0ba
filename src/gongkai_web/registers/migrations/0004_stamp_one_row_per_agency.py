"""PostgreSQL: the stamp functions upsert one row per agency (0002 as first landed drew a random
value per changed row, so a statement touching two rows of one agency hit the same row twice)."""

from django.db import migrations

UPSERT = """
    INSERT INTO registers_ledgerstamp (agency_id, version)
    SELECT agency_id, (random() * 9e18)::bigint FROM (SELECT DISTINCT agency_id FROM {rows}) AS agencies
    ON CONFLICT (agency_id) DO UPDATE SET version = (random() * 9e18)::bigint;"""
FORWARD = [
    f"""CREATE OR REPLACE FUNCTION registers_bump_new() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {UPSERT.format(rows="registers_new")} RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION registers_bump_old() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {UPSERT.format(rows="registers_old")} RETURN NULL; END $$""",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [("registers", "0003_stamp_registers_and_appeals")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
