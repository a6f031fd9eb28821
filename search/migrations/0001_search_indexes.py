"""Full-text search documents on PostgreSQL (search/services.py).

Each searched table gets a `search_document` column that PostgreSQL computes and stores itself
from the searched text (a generated column, so every insert and update keeps it right, also
bulk ones and raw SQL), with a GIN index on it. Storing it matters: matching, ranking and
paging then read the stored vector instead of parsing every candidate's text again, which is
what keeps a search over 100,000 messages fast (bench/search.py).

The column lives only in the database, not in the models: the embedded mode (SQLite) has no
tsvector and searches with icontains instead, so Django never reads or writes it. Changing the
type of a searched column later needs this column dropped and added again.
"""

from django.db import migrations

# table, searched columns (their order is the document's text)
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
    return f"search_{table.split('_', 1)[1]}_document"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in DOCUMENTS:
        text = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN "search_document" tsvector '
            f"GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, {text})) STORED"
        )
        schema_editor.execute(f'CREATE INDEX "{index_name(table)}" ON "{table}" USING gin ("search_document")')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _columns in DOCUMENTS:
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_document"')


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0002_alter_groupevent_action"),
        ("dialogues", "0002_threads"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
