"""Everything the apps share, under one name (a thin re-export; each part lives in its module):

* :mod:`.style` — the page style (CSS) and the 大字模式 class;
* :mod:`.inputs` — the app's root, the 大字模式 switch, the region / age / money inputs, the
  result area;
* :mod:`.query` — reading the page's link from each app's declarations (and writing links);
* :mod:`.share` — the share link and its copy button;
* :mod:`.html` — pure HTML pieces: cards with 朗读, badges, steps, sources, notices, errors;
* :mod:`.tables` — a small pandas-free table for notebooks;
* :mod:`.charts` — charts as inline SVG;
* :mod:`.events` — :func:`guarded` callbacks (never a traceback) and :func:`after_cell`.

Conventions (tests rely on them): the app's root widget carries ``yb-app``; the region input
``yb-input-region``; the age input ``yb-input-age``; the main result area ``yb-result``; charts
``yb-chart``; the copy-link box ``yb-share``; error boxes inside the result carry ``yb-error``.
"""

from __future__ import annotations

from .charts import (
    StepChart,
    bar_chart,
    chart_area,
    figure_svg,
    new_figure,
    nice_ticks,
    step_chart,
    step_lines_chart,
)
from .events import AFTER_CELL_DELAY, after_cell, guarded, log
from .html import (
    DISCLAIMER,
    GENERIC_ERROR,
    SPEAK_LABEL,
    badge,
    card,
    confidence_legend,
    error_html,
    esc,
    legend_html,
    notes_html,
    notice_html,
    notices_html,
    sources_html,
    speak_button,
    spoken_text,
    steps_html,
)
from .inputs import (
    BIG_TEXT_LABEL,
    BIG_TEXT_PARAM,
    LargeTextMode,
    age_input,
    app_box,
    big_text_from_query,
    money_input,
    region_input,
    region_options,
    result_area,
    style,
    text_input,
)
from .query import (
    Param,
    Parsed,
    checked_text,
    link_query,
    query_params,
    raw_query_string,
    read_query,
)
from .share import share_html
from .style import BIG_TEXT_CLASS, CSS, FULL_WIDTH_NO_SIDE_MARGIN_CSS
from .tables import Table

__all__ = [
    "AFTER_CELL_DELAY", "BIG_TEXT_CLASS", "BIG_TEXT_LABEL", "BIG_TEXT_PARAM", "CSS", "DISCLAIMER",
    "FULL_WIDTH_NO_SIDE_MARGIN_CSS", "GENERIC_ERROR", "SPEAK_LABEL", "LargeTextMode", "Param",
    "Parsed", "StepChart", "Table", "after_cell", "age_input", "app_box", "badge", "bar_chart",
    "big_text_from_query", "card", "chart_area", "checked_text", "confidence_legend",
    "error_html", "esc", "figure_svg", "guarded", "legend_html", "link_query", "log",
    "money_input", "new_figure", "nice_ticks", "notes_html", "notice_html", "notices_html",
    "query_params", "raw_query_string", "read_query", "region_input", "region_options",
    "result_area", "share_html", "sources_html", "speak_button", "spoken_text", "step_chart", "step_lines_chart",
    "steps_html", "style", "text_input",
]  # fmt: skip
