from django.shortcuts import render
from django.urls import reverse


def robots_txt(request):
    """Crawlers may read every public page but the admin, and are pointed at the sitemap
    index and the Google News sitemap. Share-link previews are not disallowed: they answer
    with ``X-Robots-Tag: noindex``, which a crawler kept out would never read."""
    sitemaps = [reverse("sitemap"), reverse("sitemap_section", kwargs={"section": "news"})]
    context = {
        "disallow": [reverse("admin:index")],
        "sitemaps": [request.build_absolute_uri(url) for url in sitemaps],
    }
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
