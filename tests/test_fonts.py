"""Chinese chart text renders with the OFL font from PyPI (never SimHei, never a system font)."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from yibao_lib.fonts import (
    CJK_FONT_FILE_NAME,
    CJKFontMissingError,
    cjk_font_path,
    register_cjk_font,
)

matplotlib.use("Agg")


def _draw_chinese_chart() -> Figure:
    figure = Figure(figsize=(4, 3))
    axes = figure.add_subplot()
    axes.bar(["北京", "上海", "深圳"], [110, -5, 70])
    axes.set_title("退休人员每月划入")
    axes.set_xlabel("地区")
    axes.set_ylabel("每月划入（元）")
    axes.set_yticks([-5, 0, 50, 110])  # a negative tick: the minus sign must have a glyph too
    axes.legend(["划入金额"])
    return figure


def _glyph_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if "Glyph" in str(w.message)]


def test_register_returns_family_that_finds_the_bundled_file():
    family = register_cjk_font()

    found = Path(font_manager.findfont(font_manager.FontProperties(family=family)))
    assert found.resolve() == cjk_font_path().resolve()
    assert found.name == CJK_FONT_FILE_NAME
    assert "mplfonts" in found.parts  # from PyPI, not /usr/share/fonts
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_register_is_idempotent():
    first = register_cjk_font()
    entries = len(font_manager.fontManager.ttflist)
    second = register_cjk_font()

    assert first == second
    assert len(font_manager.fontManager.ttflist) == entries
    assert matplotlib.rcParams["font.sans-serif"].count(first) == 1


def test_registered_font_is_not_simhei():
    path = cjk_font_path()
    family = register_cjk_font()

    assert "simhei" not in path.name.lower()
    assert "simhei" not in family.lower()
    assert "黑体" not in family
    assert font_manager.FontProperties(fname=str(path)).get_name() != "SimHei"


@pytest.mark.parametrize("image_format", ["svg", "png"])
def test_chinese_title_labels_and_ticks_have_glyphs(image_format):
    register_cjk_font()
    figure = _draw_chinese_chart()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        buffer = io.BytesIO()
        figure.savefig(buffer, format=image_format)

    assert buffer.getbuffer().nbytes > 1000
    assert _glyph_warnings(caught) == []


def test_the_check_would_see_a_missing_glyph():
    """Guard the test above: without the CJK font the same chart does warn about glyphs."""
    figure = Figure(figsize=(2, 2))
    figure.add_subplot().set_title("每月划入（元）", fontfamily="DejaVu Sans")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(io.BytesIO(), format="png")

    assert _glyph_warnings(caught)


def test_does_not_import_pyplot():
    code = (
        "import sys; from yibao_lib.fonts import register_cjk_font; register_cjk_font(); "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_font_file_raises_a_chinese_runtime_error(monkeypatch):
    monkeypatch.setattr("yibao_lib.fonts.CJK_FONT_FILE_NAME", "NoSuchFont.otf")

    with pytest.raises(RuntimeError, match="找不到中文字体文件") as raised:
        register_cjk_font()
    assert isinstance(raised.value, CJKFontMissingError)
