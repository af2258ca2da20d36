"""Chinese text in matplotlib charts, with a freely licensed font that comes from PyPI.

The font is Noto Sans CJK SC (SIL Open Font License 1.1), shipped inside the ``mplfonts``
package.  We register the file directly with matplotlib's font manager: ``mplfonts.use_font()``
only changes rcParams and does nothing until ``mplfonts init`` has copied files around, and
mplfonts also ships SimHei, which is not freely licensed and must never be used.

A system font (say Debian's fonts-noto-cjk) is not relied on: Binder and a phone-sized cloud
machine do not have it, so the chart must look the same without it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib
from matplotlib import font_manager

__all__ = ["CJK_FONT_FILE_NAME", "CJKFontMissingError", "cjk_font_path", "register_cjk_font"]

CJK_FONT_FILE_NAME = "NotoSansCJKsc-Regular.otf"


class CJKFontMissingError(RuntimeError):
    """The bundled Chinese font file could not be found."""


def cjk_font_path() -> Path:
    """Where mplfonts keeps Noto Sans CJK SC, found without importing (or running) mplfonts."""
    spec = importlib.util.find_spec("mplfonts")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for package_dir in locations:
        candidate = Path(package_dir) / "fonts" / CJK_FONT_FILE_NAME
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(Path(p) / "fonts") for p in locations) or "（未安装 mplfonts）"
    raise CJKFontMissingError(
        f"找不到中文字体文件 {CJK_FONT_FILE_NAME}（查找位置：{searched}）。"
        "图表中的中文将无法显示，请先安装依赖：pip install -r requirements.txt"
    )


def register_cjk_font() -> str:
    """Make matplotlib draw Chinese text with Noto Sans CJK SC; return the font's family name.

    Safe to call any number of times.  Registers the font file with ``fontManager.addfont``
    (once), puts its family first in ``font.sans-serif``, makes ``sans-serif`` the font family,
    and turns off ``axes.unicode_minus`` (the Unicode minus sign is not in every font; an ASCII
    hyphen is).  Does not import ``matplotlib.pyplot``, so the caller keeps its backend.

    Raises :class:`CJKFontMissingError` (a ``RuntimeError``) when the font file is missing.
    """
    path = cjk_font_path()
    names = _registered_names(path)
    if not names:
        font_manager.fontManager.addfont(str(path))
        names = _registered_names(path)
    if not names:  # addfont always adds entries; this guards against a future change of that
        raise CJKFontMissingError(f"中文字体 {path} 无法加载到 matplotlib。")

    # matplotlib knows the file as "Noto Sans CJK SC" and as "Noto Sans CJK SC Regular".  A system
    # copy of the same design (Debian's fonts-noto-cjk) also answers to "Noto Sans CJK SC" and,
    # being registered first, would win that name; take the first name that finds our file.
    family = next((name for name in names if _finds(name, path)), names[0])

    rc = matplotlib.rcParams
    rc["font.sans-serif"] = [family, *(name for name in rc["font.sans-serif"] if name != family)]
    rc["font.family"] = ["sans-serif"]
    rc["axes.unicode_minus"] = False
    return family


def _registered_names(path: Path) -> list[str]:
    """The family names under which matplotlib has the font file at ``path`` (primary first)."""
    wanted = path.resolve()
    names: list[str] = []
    for entry in font_manager.fontManager.ttflist:
        entry_path = Path(entry.fname)
        if entry_path.name == wanted.name and entry_path.resolve() == wanted:
            if entry.name not in names:
                names.append(entry.name)
    return names


def _finds(family: str, path: Path) -> bool:
    """Whether asking matplotlib for ``family`` gives the font file at ``path``."""
    try:
        found = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
    except ValueError:
        return False
    return Path(found).resolve() == path.resolve()
