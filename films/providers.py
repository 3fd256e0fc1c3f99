"""Who offers a film at a link: “https://www.primevideo.com/detail/…” is Prime Video."""

from urllib.parse import urlsplit

# Sites by the name readers know them by; a subdomain counts as its site.
PROVIDERS = {
    "primevideo.com": "Prime Video",
    "amazon.com": "Prime Video",
    "netflix.com": "Netflix",
    "max.com": "Max",
    "disneyplus.com": "Disney+",
    "tv.apple.com": "Apple TV+",
    "hulu.com": "Hulu",
    "peacocktv.com": "Peacock",
    "paramountplus.com": "Paramount+",
    "mubi.com": "MUBI",
    "criterionchannel.com": "The Criterion Channel",
    "youtube.com": "YouTube",
}


def provider_for(url: str) -> str:
    """The provider's name for a link: a known site's name, else the site's address
    without “www.” (“kanopy.com”)."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    parts = host.split(".")
    for start in range(len(parts) - 1):
        if name := PROVIDERS.get(".".join(parts[start:])):
            return name
    return host
