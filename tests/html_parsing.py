"""What a conforming HTML5 parser (html5lib) had to repair in a page: every parse error, with
the line it is on. Used by tests/security/test_pages_parse_cleanly.py (the permission matrix
through Django's test client) and tests/browser/visited.py (every page a browser test opens)."""

import html5lib


def parse_errors(html: str) -> list[str]:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(html)
    lines = html.splitlines()
    problems = []
    for (line, column), code, details in parser.errors:
        near = lines[line - 1].strip()[:160] if 0 < line <= len(lines) else ""
        problems.append(f"line {line}:{column} {code} {details or ''}: {near}")
    return problems
