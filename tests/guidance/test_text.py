"""Plain text to HTML: escaped, paragraphs, simple lists, line breaks."""

from guidance.text import render_body


def test_paragraphs_and_lists():
    html = render_body("Första stycket\nsamma stycke.\n\nFrågor:\n- en\n- två\n\nSista.")
    assert html == (
        "<p>Första stycket<br>samma stycke.</p>\n<p>Frågor:</p><ul><li>en</li><li>två</li></ul>\n<p>Sista.</p>"
    )


def test_markup_is_shown_as_text():
    html = render_body('<script>alert("x")</script>\n- <b>fet</b> & "citat"')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<li>&lt;b&gt;fet&lt;/b&gt; &amp; &quot;citat&quot;</li>" in html


def test_windows_line_ends_and_empty_text():
    assert render_body("a\r\n\r\nb") == "<p>a</p>\n<p>b</p>"
    assert render_body("") == "" and render_body("  \n\n ") == ""
