"""Trigram indexes for the search's typo fallback on PostgreSQL (search/services.py).

When the full-text search finds nothing, the search reads a few texts with a word much like the
one typed (pg_trgm's `text %> word`) to find the word meant. Each searched table gets a GIN
trigram index on the same text the search compares (its columns joined as services.JoinedText
joins them), so that this reads the index instead of every row. SQLite has no pg_trgm: the
embedded mode looks for the word's halves instead, and this migration does nothing there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# table, searched columns, as in 0001_search_indexes (a migration keeps its own copy)
DOCUMENTS = [
    ("groups_buyergroup", ["name", "summary", "challenge"]),
    (
        "groups_needversion",
        ["title", "background", "challenge", "constraints", "sustainability_goals", "timeline", "market_questions"],
    ),
    ("dialogues_dialogue", ["title", "purpose"]),
    ("dialogues_answer", ["question_text", "body"]),
    ("dialogues_question", ["text"]),
    ("dialogues_message", ["body"]),
    ("groups_document", ["title"]),
]


def index_name(table):
    return f"search_{table.split('_', 1)[1]}_trigrams"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in DOCUMENTS:
        text = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
        schema_editor.execute(f'CREATE INDEX "{index_name(table)}" ON "{table}" USING gin (({text}) gin_trgm_ops)')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _columns in DOCUMENTS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index_name(table)}"')


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_indexes")]
    operations = [TrigramExtension(), migrations.RunPython(forwards, backwards)]
