from django import template

from forum.rendering import render_posts

register = template.Library()


@register.simple_tag
def render_post(view, board, thread):
    """One post through the same renderer the thread page uses."""
    return render_posts([view], board=board, thread=thread)
