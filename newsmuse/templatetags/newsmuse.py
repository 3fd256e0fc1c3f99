from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """Render a newsmuse.sections.Section with its own context on top of the page's."""
    with context.push(**section.context):
        return context.template.engine.get_template(section.template).render(context)
