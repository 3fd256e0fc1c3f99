"""Emphasis and links in a body's text: a small syntax, always escaped, http(s) links only."""

import pytest

from features.body import inline_html
from tests.factories import make_feature, write_body


@pytest.mark.parametrize(
    "text, html",
    [
        (
            "The film *A Million Miles Away* is out.",
            "The film <em>A Million Miles Away</em> is out.",
        ),
        (
            "See [NASA](https://www.nasa.gov/) today.",
            'See <a href="https://www.nasa.gov/">NASA</a> today.',
        ),
        (
            "[*Narcos: México*](https://example.com/n)",
            '<a href="https://example.com/n"><em>Narcos: México</em></a>',
        ),
        ("5 * 3 * 2 is thirty", "5 * 3 * 2 is thirty"),
        ("snake_case*not*emphasis", "snake_case*not*emphasis"),
        ("A literal \\*star\\*", "A literal *star*"),
        ("Unclosed *emphasis here", "Unclosed *emphasis here"),
        ("[bad](javascript:alert(1))", "[bad](javascript:alert(1))"),
        ("[ftp](ftp://example.com/file)", "[ftp](ftp://example.com/file)"),
        ("<script>alert(1)</script> *x*", "&lt;script&gt;alert(1)&lt;/script&gt; <em>x</em>"),
        (
            '[q](https://example.com/a"onmouseover="alert(1))',
            "[q](https://example.com/a&quot;onmouseover=&quot;alert(1))",
        ),
        (
            "[amp](https://example.com/?a=1&b=2)",
            '<a href="https://example.com/?a=1&amp;b=2">amp</a>',
        ),
    ],
)
def test_inline_html(text, html):
    assert inline_html(text) == html


@pytest.mark.django_db
def test_the_feature_page_shows_emphasis_and_links_in_answers(client):
    feature = make_feature(guests=1)
    guest = feature.guests[0].person.name
    write_body(
        feature,
        f"{guest}: I loved *The Keeper's Ledger*; see [the trailer](https://example.com/t).",
    )
    page = client.get(feature.get_absolute_url()).content.decode()
    assert "<em>The Keeper&#x27;s Ledger</em>" in page
    assert '<a href="https://example.com/t">the trailer</a>' in page
