from django import template

from features import body

register = template.Library()


@register.filter
def inline_markup(text):
    """A block's text with its *emphasis* and [links](https://…) as HTML (body.inline_html)."""
    return body.inline_html(text)
