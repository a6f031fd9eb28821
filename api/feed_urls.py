"""The Atom feeds (api/feeds.py), at /feeds/."""

app_name = "feeds"

urlpatterns = []
