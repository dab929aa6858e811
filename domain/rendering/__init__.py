"""Renderers: a ``Report`` as Word, HTML, Markdown and open-data CSV, all laid out by ``layout``."""

from domain.rendering.docx import render_docx
from domain.rendering.html import render_html
from domain.rendering.markdown import render_markdown
from domain.rendering.opendata import render_csv

__all__ = ["render_csv", "render_docx", "render_html", "render_markdown"]
