"""Presenters: a briefing (or its JSON document) as Markdown, in the terminal, or as a static directory
(JSON, Markdown and an HTML site: `present.html`, whose templates `storyline serve` also uses: `present.web`).

    from storyline.present import render_markdown, print_briefing, write_site
    text = render_markdown(briefing)
    print_briefing(briefing, console)
    write_site(briefings, "out")

Article text is shown as text everywhere: `printable` (no escape sequence or control character),
`plain` (a rich `Text`, never markup), `md` (Markdown and HTML escaped) and `json_text` are the
sanitisers every presenter and the command line use. `OUTPUT_MARKER` names the file `write_site` leaves
in every folder it writes; storyline's readers skip folders that hold it.
"""

from storyline.present.markdown import render_markdown
from storyline.present.safe import json_text, md, md_link, plain, printable
from storyline.present.site import OUTPUT_MARKER, SiteReport, write_site
from storyline.present.terminal import briefing_renderable, print_briefing
from storyline.present.view import BriefingView, as_document

__all__ = [
    "OUTPUT_MARKER",
    "BriefingView",
    "SiteReport",
    "as_document",
    "briefing_renderable",
    "json_text",
    "md",
    "md_link",
    "plain",
    "print_briefing",
    "printable",
    "render_markdown",
    "write_site",
]
