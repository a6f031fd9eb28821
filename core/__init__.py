"""The bottom layer: shared infrastructure that knows no domain (no models, no apps, no
imports from the platform's other packages). Every other package may import from here.

- csv_export: the one way the platform writes CSV, safe to open in a spreadsheet.
- streaming: responses that stream under both WSGI and ASGI without reading everything
  into memory first.
"""
