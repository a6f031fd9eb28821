"""The Atom feeds (api/feeds.py), at /feeds/."""

from django.urls import path

from api.feeds import DialogueFeed, NeedFeed, public_feed

app_name = "feeds"

urlpatterns = [
    path("dialogues.atom", public_feed(DialogueFeed()), name="dialogues"),
    path("dialogues/<slug:theme>.atom", public_feed(DialogueFeed()), name="dialogues-theme"),
    path("needs.atom", public_feed(NeedFeed()), name="needs"),
    path("needs/<slug:theme>.atom", public_feed(NeedFeed()), name="needs-theme"),
]
