"""Shared UI pieces: the pandas-free example table and the escaping every app relies on."""

from __future__ import annotations

import pytest

from yibao_lib.ui.common import Table, esc


def test_table_html_escapes_and_aligns_columns():
    table = Table(["地区", "金额"], [["<b>北京</b>", "107.00"], ["上海", None]], numeric={1})
    html = table._repr_html_()

    assert "<b>" not in html
    assert '<td style="text-align:left">&lt;b&gt;北京&lt;/b&gt;</td>' in html
    assert '<th class="num" style="text-align:right">金额</th>' in html
    assert '<td class="num" style="text-align:right">107.00</td>' in html
    assert '<td class="num" style="text-align:right"></td>' in html  # None: empty, not "None"


def test_table_text_aligns_chinese_by_display_width():
    text = repr(Table(["地区", "金额"], [["北京市", "107.00"], ["乌鲁木齐市", "9.5"]], numeric={1}))

    # first column 10 wide (乌鲁木齐市: five characters of width 2), second 6 wide, right-aligned
    assert text.splitlines() == [
        "地区" + " " * 6 + "  " + "  金额",
        "北京市" + " " * 4 + "  " + "107.00",
        "乌鲁木齐市" + "  " + "   9.5",
    ]


def test_table_refuses_rows_of_the_wrong_length():
    with pytest.raises(ValueError, match="列数"):
        Table(["地区", "金额"], [["北京"]])


def test_esc_replaces_lone_surrogates():
    assert esc("a\ud800<") == "a?&lt;"


def test_common_is_a_thin_re_export_of_the_modules_by_concern():
    from yibao_lib.ui import charts, common, events, html, inputs, query, share, tables

    assert common.esc is html.esc and common.card is html.card and common.badge is html.badge
    assert common.share_html is share.share_html and common.query_params is query.query_params
    assert common.LargeTextMode is inputs.LargeTextMode and common.region_input is inputs.region_input
    assert common.Table is tables.Table and common.figure_svg is charts.figure_svg
    assert common.guarded is events.guarded and common.after_cell is events.after_cell
    assert set(common.__all__) <= set(dir(common))


def test_badges_and_legends_take_the_one_confidence_table():
    from yibao_lib.model import CONFIDENCE, CONFIDENCE_COLORS
    from yibao_lib.ui import html, style

    for level in CONFIDENCE:
        assert f"可信度：{level.label}" in html.badge(level.key)
        assert f".yb-badge-{level.key} {{ background: {level.colour}; }}" in style.CSS
    legend = html.confidence_legend(["contested", "official"])
    assert legend == [("官方原文", CONFIDENCE_COLORS["official"]), ("来源说法不一", CONFIDENCE_COLORS["contested"])]
