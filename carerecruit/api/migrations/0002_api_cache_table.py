"""The table of the "api" cache (throttle counters shared by every process; see the
CACHES setting), made here so that ``migrate`` is enough, without ``createcachetable``."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "carerecruit_api_cache"


def create(apps, schema_editor):
    # Django's own DDL for a DatabaseCache table (it skips a table that exists).
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_token")]

    operations = [migrations.RunPython(create, drop)]
