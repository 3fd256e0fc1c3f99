from django import template
from django.utils.html import format_html, format_html_join

from newsmuse import images, renditions

register = template.Library()


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
    the image the reader sees first (the hero): no lazy loading, high fetch priority. If no
    renditions can be made (an unreadable original) the page simply has no picture there.
    """
    if image is None:
        return ""
    loading = format_html(
        ' {}="{}"', *(("fetchpriority", "high") if eager else ("loading", "lazy"))
    )
    class_attribute = format_html(' class="{}"', css_class) if css_class else ""
    made = renditions.ensure(image, crop)
    if not renditions.is_complete(made):
        # Never the original instead: it may be huge and carries the camera's metadata.
        return ""
    by_format = {}
    for rendition in sorted(made, key=lambda r: r.width):
        by_format.setdefault(rendition.format, []).append(rendition)
    fallback_format = next(f for f in by_format if f not in images.MODERN_FORMATS)
    fallback = by_format[fallback_format]
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (images.MIME_TYPES[name], _srcset(by_format[name]), sizes)
            for name in images.MODERN_FORMATS
            if name in by_format
        ),
    )
    largest = fallback[-1]
    return format_html(
        '<picture{}>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}'
        ' decoding="async"></picture>',
        class_attribute,
        sources,
        largest.file.url,
        _srcset(fallback),
        sizes,
        largest.width,
        largest.height,
        image.alt,
        loading,
    )


def _srcset(renditions_by_width):
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions_by_width)
