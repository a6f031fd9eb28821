"""GIN indexes for full-text search on PostgreSQL, over exactly the expressions that
search.services.SwedishDocument writes for each kind (PostgreSQL uses an expression index only
for the same expression). PostgreSQL keeps them up to date on every write. SQLite, the embedded
mode, searches without them."""

from django.db import migrations

# index name, table, searched columns (the order matters: it is the document's text)
INDEXES = [
    ("search_group_document", "groups_buyergroup", ["name", "summary", "challenge"]),
    (
        "search_needversion_document",
        "groups_needversion",
        ["title", "background", "challenge", "constraints", "sustainability_goals", "timeline", "market_questions"],
    ),
    ("search_dialogue_document", "dialogues_dialogue", ["title", "purpose"]),
    ("search_answer_document", "dialogues_answer", ["question_text", "body"]),
    ("search_question_document", "dialogues_question", ["text"]),
    ("search_message_document", "dialogues_message", ["body"]),
    ("search_document_document", "groups_document", ["title"]),
]


def document(columns):
    text = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
    return f"to_tsvector('swedish'::regconfig, {text})"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({document(columns)})')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0002_alter_groupevent_action"),
        ("dialogues", "0002_threads"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
