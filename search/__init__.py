"""One search over every kind of content, filtered by the apps' own visibility rules."""
