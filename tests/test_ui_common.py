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
