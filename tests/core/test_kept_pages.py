"""Which tables a statement writes, as core/kept_pages.py reads them: the stamps that make kept
pages new. Whatever it cannot tell stamps everything."""

import pytest

from core.kept_pages import EVERYTHING, written_tables

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ('INSERT INTO "dialogues_message" ("body") VALUES (%s) RETURNING "id"', {"dialogues_message"}),
        ('INSERT OR IGNORE INTO "groups_membership" ("role") VALUES (%s)', {"groups_membership"}),  # SQLite
        ('UPDATE "groups_buyergroup" SET "summary" = %s WHERE "id" = %s', {"groups_buyergroup"}),
        ('DELETE FROM "notifications_notification" WHERE "id" IN (%s)', {"notifications_notification"}),
        ("update groups_buyergroup set summary = 'x'", {"groups_buyergroup"}),  # raw SQL, unquoted
        ('TRUNCATE "groups_buyergroup", "dialogues_message"', {"groups_buyergroup", "dialogues_message"}),
        # A sign-in's last_login is on no page; anything else about a person is.
        ('UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s', set()),
        ('UPDATE "accounts_user" SET "last_login" = %s, "name" = %s WHERE "id" = %s', {"accounts_user"}),
        # The session is the key's business.
        ('UPDATE "django_session" SET "session_data" = %s WHERE "session_key" = %s', set()),
        ('ALTER TABLE "groups_buyergroup" ADD COLUMN "x" integer', {EVERYTHING}),
        ("CALL something()", {EVERYTHING}),
    ],
)
def test_the_tables_a_statement_writes(sql, tables):
    assert written_tables(sql) == tables
