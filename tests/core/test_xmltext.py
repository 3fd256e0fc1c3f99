import pytest

from newsmuse.xmltext import xml_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("tab\there,\nnew line\r\n", "tab\there,\nnew line\r\n"),
        ("<b>&amp;]]>", "<b>&amp;]]>"),
        ("NUL\x00 VT\x0b FF\x0c US\x1f DEL\x7f", "NUL VT FF US DEL\x7f"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("non\ufffe\uffffcharacters", "noncharacters"),
        ("emoji 🚀 and é", "emoji 🚀 and é"),
    ],
)
def test_only_what_xml_cannot_hold_is_left_out(text, expected):
    assert xml_text(text) == expected
