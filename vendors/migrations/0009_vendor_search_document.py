"""The directory search's vendor text as a stored tsvector column, on PostgreSQL only.

0003 indexed the expression, so a word that most vendors match ("synthetic", "services") made
PostgreSQL recompute to_tsvector for every row: 0.5 s per count over 100,000 vendors. A generated
column is computed once per write and read as it is. Django never names the column (it is not in
the model, so inserts, updates and fixtures leave it alone); vendors.search reads it. SQLite keeps
no such column: its search falls back to substrings.
"""

from django.db import migrations

OLD_INDEX = "vendor_search_document_gin"  # 0003's expression index
SQL = """
ALTER TABLE vendors_vendor ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    to_tsvector('english'::regconfig,
        COALESCE(name, '') || ' ' || COALESCE(description, '') || ' ' || COALESCE(languages, ''))
) STORED;
CREATE INDEX vendor_search_document_idx ON vendors_vendor USING gin (search_document);
DROP INDEX IF EXISTS {old};
""".format(old=OLD_INDEX)
REVERSE_SQL = """
ALTER TABLE vendors_vendor DROP COLUMN search_document;
CREATE INDEX {old} ON vendors_vendor USING gin (to_tsvector('english'::regconfig,
    COALESCE(name, '') || ' ' || COALESCE(description, '') || ' ' || COALESCE(languages, '')));
""".format(old=OLD_INDEX)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [("vendors", "0008_quote_version")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
