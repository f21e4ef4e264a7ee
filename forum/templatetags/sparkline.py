"""`{{ board.chart|sparkline }}`: a board's posts per hour as forum.rendering draws it."""

from __future__ import annotations

from django import template

from forum.rendering import render_sparkline

register = template.Library()
register.filter("sparkline", render_sparkline)
