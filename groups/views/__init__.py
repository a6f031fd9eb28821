"""The buyer group's pages, one module per area; groups/urls.py names each view."""
