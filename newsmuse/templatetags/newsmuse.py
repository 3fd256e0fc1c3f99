import html

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list

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
    # The standard library's escape, which Django's wraps, as every value here is a str:
    # a list page has dozens of pictures with several long srcsets each.
    sizes = html.escape(sizes)
    sources = "".join(
        f'<source type="{mime}" srcset="{html.escape(srcset)}" sizes="{sizes}">'
        for mime, srcset in ready["sources"]
    )
    return mark_safe(
        f"<picture{_class_attribute(css_class)}>{sources}"
        f'<img src="{html.escape(ready["src"])}" srcset="{html.escape(ready["srcset"])}" '
        f'sizes="{sizes}" width="{ready["width"]}" height="{ready["height"]}" '
        f'alt="{html.escape(image.alt)}"{EAGER if eager else LAZY} decoding="async"></picture>'
    )


EAGER = ' fetchpriority="high"'
LAZY = ' loading="lazy"'


def _class_attribute(css_class):
    return f' class="{html.escape(css_class)}"' if css_class else ""


@register.filter
def web_link(url):
    """The URL if readers may follow it (http or https), else "" (newsmuse.models)."""
    return models.web_link(url)


@register.filter
def and_list(names):
    """Names as a sentence lists them: “A, B and C”."""
    return get_text_list(list(names), "and")


@register.simple_tag(name="time")
def time_element(moment, css_class=""):
    """``<time datetime="…">2 December 2026</time>`` for a datetime, in the site's time
    zone; "" for none. The date is written as ``date:"j F Y"`` writes it, without that
    filter's general machinery: lists show one per piece."""
    if not moment:
        return ""
    local = timezone.localtime(moment)
    # Django's "c" format adds microseconds, which HTML does not accept.
    machine = local.replace(microsecond=0).isoformat()
    return mark_safe(
        f'<time{_class_attribute(css_class)} datetime="{machine}">'
        f"{local.day} {MONTHS[local.month]} {local.year}</time>"
    )
