"""Transfers by pooling area, 山东's 9 working days, the offline window, seed 003's facts.

Every plan is asked for with its application date: nothing depends on today.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from yibao_lib import DataError, YibaoInputError, find_region, transfer_plan
from yibao_lib.store import get_store
from yibao_lib.transfer import SAME_AREA_LABEL, pooling_area

DAY = date(2026, 6, 1)
SEEDS = Path("/work/shared/seeds")


def ids(sources) -> set[str]:
    return {s.id for s in sources}


# ---- one pooling area: no transfer ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "destination", "area", "says"),
    [
        ("浦东新区", "徐汇区", "上海市", "浦东新区和徐汇区都属上海市，上海市全市是一个统筹地区"),
        ("深圳市南山区", "福田区", "深圳市", "南山区和福田区都属深圳市，两地是同一个统筹地区"),
        ("深圳", "福田区", "深圳市", "福田区属深圳市，两地是同一个统筹地区"),
        ("昆山", "苏州", "苏州市", "昆山市属苏州市"),
        ("城口县", "万州区", "重庆市", "城口县和万州区都属重庆市，重庆市全市是一个统筹地区"),
        ("北京", "北京市", "北京市", "转出地和转入地都是北京市，北京市全市是一个统筹地区"),
        ("长沙", "长沙市", "长沙市", "转出地和转入地都是长沙市"),
    ],
)
def test_one_pooling_area_needs_no_transfer(origin, destination, area, says):
    plan = transfer_plan(origin, destination, start=DAY)
    assert plan.route == "no_transfer_needed" and plan.ready
    assert plan.same_pooling_area.name == area
    assert plan.route_label == SAME_AREA_LABEL == "无需转移：同一统筹地区内"
    assert plan.steps[0].text.startswith(says)
    assert "不需要办理转移接续" in plan.steps[0].text
    assert plan.deadline is None and plan.blockers == () and plan.conditions == ()
    assert plan.reported_durations == () and plan.checklist() == ()
    assert plan.confidence == "official" and ids(plan.sources) == {"S_YIBAOBAN_2021_43"}
    assert "同一统筹地区内" in plan.explain()


def test_one_pooling_area_comes_before_every_other_route():
    for kwargs in (dict(retired=True), dict(retired=True, relocated=True), dict(scheme="resident"),
                   dict(destination_connected=False), dict(stopped_at_origin=False,
                   enrolled_at_destination=False), dict(channel="offline", window="origin")):  # fmt: skip
        plan = transfer_plan("浦东新区", "徐汇区", start=DAY, **kwargs)
        assert plan.route == "no_transfer_needed" and not plan.blockers, kwargs
    retiree = transfer_plan("浦东新区", "徐汇区", retired=True, start=DAY)
    assert any("已退休" in n for n in retiree.notes)


def test_a_province_given_twice_asks_for_the_cities():
    plan = transfer_plan("广东", "广东省", start=DAY)
    assert plan.route == "no_transfer_needed" and plan.same_pooling_area.code == "440000"
    assert any("请分别填写具体的城市" in n for n in plan.notes)


def test_pooling_area_of_each_level():
    area = {name: pooling_area(find_region(name)).name
            for name in ("浦东新区", "福田区", "昆山", "仙桃", "济源", "深圳", "广东", "北京")}  # fmt: skip
    assert area == {"浦东新区": "上海市", "福田区": "深圳市", "昆山": "苏州市", "仙桃": "仙桃市",
                    "济源": "济源市", "深圳": "深圳市", "广东": "广东省", "北京": "北京市"}  # fmt: skip


def test_guangdong_across_cities_keeps_its_own_rule():
    plan = transfer_plan("深圳", "广州", start=DAY)
    assert plan.route == "no_transfer_needed" and plan.same_pooling_area is None
    assert plan.route_label == "无需转移：个人账户省内跨市通用"
    assert plan.conditions and plan.confidence == "seed"


def test_shandong_same_city_shows_the_provinces_notice_apart():
    plan = transfer_plan("历下区", "济南", start=DAY)
    assert plan.route == "no_transfer_needed"
    assert any("鲁医保发〔2021〕54号" in n for n in plan.notes)
    (fact,) = plan.regional
    assert ids(fact.sources) == {"S_SD_2021_54"} and fact.confidence == "aggregator"
    assert plan.confidence == "official"  # the route rests on the national rule's scope


# ---- 山东: 9 working days within the province ------------------------------------------------------


def test_shandong_within_province_is_nine_working_days():
    plan = transfer_plan("济南", "青岛", start=DAY)
    assert plan.route == "within_province"
    assert plan.deadline.date == date(2026, 6, 12) and plan.deadline.working_days == 9
    dues = [(s.due.working_days, s.limit_text) for s in plan.steps if s.due]
    assert dues == [(9, "山东省内转出、转入合计9个工作日内"), (9, "山东省内全程9个工作日内")]
    assert "S_SD_2021_54" in ids(plan.sources)
    (limit,) = plan.regional
    assert limit.confidence == "aggregator" and ids(limit.sources) == {"S_SD_2021_54"}
    assert any("9个工作日" in n and "15个工作日" in n for n in plan.notes)
    assert not any("省内跨统筹区转移同样适用" in n for n in plan.notes)


def test_shandong_limit_is_data():
    (limit,) = get_store().transfer["regional_time_limits"]
    assert (limit["region_code"], limit["applies_to"], limit["working_days"]) == ("370000", "within_province", 9)
    assert limit["source_ids"] == ("S_SD_2021_54",) and limit["confidence"] == "aggregator"


@pytest.mark.parametrize(("origin", "destination"), [("济南", "北京"), ("北京", "青岛"), ("南京", "苏州")])
def test_outside_shandong_or_across_its_border_stays_fifteen(origin, destination):
    plan = transfer_plan(origin, destination, start=DAY)
    assert plan.deadline.date == date(2026, 6, 23) and plan.deadline.working_days == 15
    assert plan.regional == () and "S_SD_2021_54" not in ids(plan.sources)


def test_shandong_nine_days_across_a_holiday():
    # The 2026 National Day holiday (from chinese-calendar) falls inside both counts.
    plan = transfer_plan("烟台", "潍坊", start=date(2026, 9, 28))
    national = transfer_plan("烟台", "北京", start=date(2026, 9, 28))
    assert plan.deadline.working_days == 9 and national.deadline.working_days == 15
    assert plan.deadline.date == date(2026, 10, 15) and not plan.deadline.estimated
    assert national.deadline.date == date(2026, 10, 23)


# ---- the offline application: either window (seeds 002, 004) ------------------------------------


def test_offline_lists_both_windows_and_follows_the_destination_by_default():
    plan = transfer_plan("郑州", "杭州", channel="offline", start=DAY)
    assert plan.windows == ("destination", "origin") and plan.window == "destination"
    assert ids(plan.window_fact.sources) == {"S_SEED002", "S_SEED004"}
    assert plan.window_fact.confidence == "seed"
    note = next(n for n in plan.notes if "任一方" in n)
    assert "新参保地（转入地）" in note and "原参保地（转出地）" in note
    texts = [s.text for s in plan.steps]
    assert any("到新参保地医保经办机构申请转入" in t for t in texts)
    assert plan.confidence == "official"  # the default steps are the national rule's


def test_offline_at_the_origins_window():
    plan = transfer_plan("郑州", "杭州", channel="offline", window="origin", start=DAY)
    assert plan.window == "origin"
    first = plan.steps[0]
    assert first.actor == "person" and "原参保地医保经办机构窗口" in first.text
    assert {"S_SEED002", "S_SEED004"} <= ids(first.sources)
    assert not any("申请转入" in s.text for s in plan.steps if s.actor == "person")
    assert "《基本医疗保险参保凭证》" not in {d.name for d in plan.checklist()}
    assert plan.deadline.date == date(2026, 6, 23) and plan.confidence == "seed"
    assert any("也可以改到新参保地（转入地）" in n for n in plan.notes)


def test_online_has_no_window():
    plan = transfer_plan("郑州", "杭州", start=DAY, window="origin")
    assert plan.windows == () and plan.window is None and plan.window_fact is None


def test_window_quotes_are_the_seeds_own_words():
    windows = get_store().transfer["routes"]["offline"]["windows"]
    quotes = {q["source_id"]: q["text"] for q in windows["quotes"]}
    assert set(quotes) == {"S_SEED002", "S_SEED004"}
    if not SEEDS.is_dir():
        pytest.skip("the seed articles are not on this machine")
    files = {"S_SEED002": "002_", "S_SEED004": "004_"}
    for source_id, quote in quotes.items():
        (path,) = SEEDS.glob(files[source_id] + "*.txt")
        assert quote in path.read_text(encoding="utf-8"), source_id


# ---- seed 003: the account closed and opened; its contradiction -----------------------------------


def test_seed003_account_steps_are_facts():
    plan = transfer_plan("南宁", "北京", channel="offline", start=DAY)
    by_text = {f.text: f for f in plan.account_steps}
    assert set(by_text) == {"原参保地办理转出时会“注销原账户”。", "新参保地办理转入时会“开立新账户并办理余额转移”。"}
    assert all(ids(f.sources) == {"S_SEED003"} and f.confidence == "seed" for f in plan.account_steps)
    note = next(n for n in plan.notes if "注销原账户" in n)
    assert "开立新账户" in note and "仅见于原始文章" in note
    assert plan.confidence == "official"  # a fact beside the plan, not a step of it
    assert transfer_plan("北京", "海南", retired=True, start=DAY).account_steps == ()
    resident = transfer_plan("南宁", "北京", scheme="resident", start=DAY)
    assert resident.account_steps == () and not any("注销原账户" in n for n in resident.notes)


def test_seed003_contradiction_is_a_contested_condition():
    plan = transfer_plan("南宁", "北京", start=DAY)
    (fact,) = [f for f in plan.conditions if "前后说法矛盾" in f.text]
    assert fact.confidence == "contested"
    assert {"S_SEED003", "S_YIBAOBAN_2021_43"} == ids(fact.sources)
    assert "无欠费或停保情况" in fact.text and "先在原参保地停保" in fact.text
    item = next(c for c in get_store().transfer["conditions"] if c["id"] == "seed003_contradiction")
    if SEEDS.is_dir():
        (path,) = SEEDS.glob("003_*.txt")
        seed = path.read_text(encoding="utf-8")
        assert all(quote in seed for quote in item["quotes"])
        assert "注销原账户" in seed and "开立新账户并办理余额转移" in seed


# ---- transfer.yaml checks ------------------------------------------------------------------------


@pytest.fixture
def yaml_copy(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", copy)
    monkeypatch.setenv("YIBAO_DATA_DIR", str(copy))
    get_store.cache_clear()
    yield copy / "transfer.yaml"
    get_store.cache_clear()


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("    working_days: 9\n", "    working_days: 0\n", "shandong_within_province.working_days"),
        ("    applies_to: within_province\n", "    applies_to: anywhere\n", "shandong_within_province.applies_to"),
        ('    region_code: "370000"\n    applies_to', "    region_code: 370000\n    applies_to",
         "shandong_within_province.region_code"),
        ("        window: origin\n", "        window: bank\n", "routes.offline.steps[0].window"),
        ("      places: [destination, origin]\n", "      places: [bank]\n", "routes.offline.windows.places"),
        ("    actor: origin\n    text: 原参保地办理转出时会", "    actor: nobody\n    text: 原参保地办理转出时会",
         "origin_closes_account.actor"),
    ],
)  # fmt: skip
def test_broken_transfer_yaml_names_the_field(yaml_copy, old, new, field):
    text = yaml_copy.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    yaml_copy.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataError) as info:
        get_store()
    assert info.value.file == "transfer.yaml" and info.value.field == field


def test_same_place_is_no_longer_an_error():
    with pytest.raises(YibaoInputError):
        transfer_plan("全国", "全国", start=DAY)
    assert transfer_plan("北京", "北京", start=DAY).route == "no_transfer_needed"
