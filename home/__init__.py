"""The top layer under config: the front page, the accessibility statement, each person's
dashboard, the error pages and the demo loader (`manage.py load_demo`), free to gather from
every app below.
"""
