"""The market dialogue's pages, one module per area; dialogues/urls.py names each view."""
