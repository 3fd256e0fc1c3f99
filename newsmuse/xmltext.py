"""Text that XML can hold, for feeds and sitemaps.

XML 1.0 has no way to write most control characters, lone surrogates or U+FFFE/U+FFFF, even
escaped: one of them in a headline pasted from elsewhere would make Django's feed writer
fail and a sitemap unreadable. They carry no meaning for readers, so they are left out.
"""

import re

_NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold."""
    return _NOT_IN_XML.sub("", value)
