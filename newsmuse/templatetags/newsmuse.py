from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from newsmuse import models, renditions, share
from newsmuse.paths import path_to

register = template.Library()


@register.filter
def json_ld(data):
    """Structured data as a <script type="application/ld+json"> (newsmuse.share.json_ld)."""
    return share.json_ld(data)


@register.simple_tag
def path(name, *args):
    """The address of the page called ``name``: ``{% url %}``, reversed once per process
    (newsmuse.paths)."""
    return path_to(name, *args)


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """Render a newsmuse.sections.Section with its own context on top of the page's."""
    with context.push(**section.context):
        return context.template.engine.get_template(section.template).render(context)


@register.simple_tag
def picture(image, crop="full", sizes="100vw", eager=False, css_class=""):
    """A responsive <picture> for a library image in one of renditions.CROPS.

    Modern formats go in <source> elements, the JPEG/PNG fallback in <img>, whose width and
    height give the crop's shape so the page does not shift while it loads. ``eager`` marks
    the image the reader sees first (the hero): no lazy loading, high fetch priority. The
    srcsets come ready from the image's row; if no renditions can be made (an unreadable
    original) the page simply has no picture there, never the original.
    """
    if image is None:
        return ""
    ready = renditions.ensure(image, crop)
    if ready is None:
        return ""
    sources = "".join(
        f'<source type="{mime}" srcset="{escape(srcset)}" sizes="{escape(sizes)}">'
        for mime, srcset in ready["sources"]
    )
    return mark_safe(
        f"<picture{_class_attribute(css_class)}>{sources}"
        f'<img src="{escape(ready["src"])}" srcset="{escape(ready["srcset"])}" '
        f'sizes="{escape(sizes)}" width="{ready["width"]}" height="{ready["height"]}" '
        f'alt="{escape(image.alt)}"{EAGER if eager else LAZY} decoding="async"></picture>'
    )


EAGER = ' fetchpriority="high"'
LAZY = ' loading="lazy"'


def _class_attribute(css_class):
    return f' class="{escape(css_class)}"' if css_class else ""


@register.filter
def web_link(url):
    """The URL if readers may follow it (http or https), else "" (newsmuse.models)."""
    return models.web_link(url)


@register.filter
def machine_time(moment):
    """A datetime for a <time datetime="…"> attribute: local time to the second with its
    offset. (Django's "c" format adds microseconds, which HTML does not accept.)"""
    if not moment:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()
