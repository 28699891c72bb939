"""Presenters: a briefing (or its JSON document) as Markdown, in the terminal, or as a static directory.

    from storyline.present import render_markdown, print_briefing, write_site
    text = render_markdown(briefing)
    print_briefing(briefing, console)
    write_site(briefings, "out")
"""

from storyline.present.markdown import render_markdown
from storyline.present.site import SiteReport, write_site
from storyline.present.terminal import briefing_renderable, print_briefing
from storyline.present.view import BriefingView, as_document

__all__ = [
    "BriefingView",
    "SiteReport",
    "as_document",
    "briefing_renderable",
    "print_briefing",
    "render_markdown",
    "write_site",
]
