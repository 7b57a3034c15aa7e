"""A GIN index over the directory search's vendor text, on PostgreSQL only; an index on country.

SQLite has no GIN index; the search there falls back to substrings (vendors.search). The index is
built by hand rather than declared in Vendor.Meta so the model stays the same on both databases.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

INDEX_NAME = "vendor_search_document_gin"


def _index() -> GinIndex:
    # The same expression as vendors.search.vendor_document(): PostgreSQL matches it to the query.
    return GinIndex(
        SearchVector("name", "description", "languages", config="english"), name=INDEX_NAME
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("vendors", "Vendor"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("vendors", "Vendor"), _index())


class Migration(migrations.Migration):
    dependencies = [("vendors", "0002_seed_catalogue")]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
        migrations.AddIndex(
            model_name="vendor",
            index=models.Index(fields=["country"], name="vendor_country_idx"),
        ),
    ]
