from __future__ import annotations

from datetime import date

import pytest

from yibao_lib import ROUTES, YibaoInputError, transfer_plan


def test_cross_province_steps_documents_and_due_dates():
    plan = transfer_plan("南宁", "北京", channel="offline", start=date(2026, 6, 1))
    assert plan.route == "cross_province" and plan.ready
    actors = {s.actor for s in plan.steps}
    assert actors == {"person", "origin", "destination"}
    names = {d.name for d in plan.checklist()}
    assert any("参保凭证" in n for n in names) and any("联系函" in n for n in names)
    dues = [s.due.date for s in plan.steps if s.due]
    assert dues == sorted(dues) and dues[-1] == plan.deadline.date == date(2026, 6, 23)
    assert plan.reported_durations and plan.lapse_rules and plan.wallet
    assert "15" not in plan.explain() or "个工作日" in plan.explain()


def test_online_and_offline_differ():
    online = transfer_plan("郑州", "杭州", channel="online", start="2026-06-01")
    offline = transfer_plan("郑州", "杭州", channel="offline", start="2026-06-01")
    assert [s.text for s in online.steps] != [s.text for s in offline.steps]
    assert online.deadline == offline.deadline


def test_resident_scheme_has_no_account_note():
    plan = transfer_plan("郑州", "杭州", scheme="resident", start="2026-06-01")
    assert any("没有个人账户" in n for n in plan.notes)
    with pytest.raises(YibaoInputError):
        transfer_plan("郑州", "杭州", scheme="resident", retired=True, start="2026-06-01")


def test_blockers_keep_the_route():
    plan = transfer_plan("郑州", "杭州", stopped_at_origin=False, start="2026-06-01")
    assert plan.route == "cross_province" and not plan.ready
    assert "停保" in plan.blockers[0]


@pytest.mark.parametrize(
    "kwargs",
    [dict(scheme="x"), dict(channel="fax"), dict(retired="yes"), dict(start="someday"),
     dict(channel="offline", window="bank"), dict(channel="offline", window=1)],
)  # fmt: skip
def test_bad_inputs(kwargs):
    with pytest.raises(YibaoInputError):
        transfer_plan("郑州", "杭州", **{"start": "2026-06-01", **kwargs})


def test_national_is_not_a_place_to_move_to():
    with pytest.raises(YibaoInputError):
        transfer_plan("全国", "杭州", start="2026-06-01")


def test_every_route_is_reachable():
    day = date(2026, 6, 1)
    seen = {
        transfer_plan("郑州", "杭州", start=day).route,
        transfer_plan("南京", "苏州", start=day).route,
        transfer_plan("深圳", "广州", start=day).route,
        transfer_plan("浦东新区", "徐汇区", start=day).route,
        transfer_plan("北京", "海南", retired=True, relocated=True, start=day).route,
        transfer_plan("北京", "海南", retired=True, start=day).route,
    }
    assert seen == set(ROUTES)


def test_step_texts_carry_no_fixed_limits():
    """The 10 / 5 working days come from time_limits, so a regional limit (山东 9) never
    contradicts the step text."""
    for channel in ("online", "offline"):
        plan = transfer_plan("济南", "青岛", channel=channel, start=date(2026, 6, 1))
        assert all("10个工作日" not in s.text and "5个工作日" not in s.text for s in plan.steps)
    plan = transfer_plan("南宁", "北京", start=date(2026, 6, 1))
    limits = [s.limit_text for s in plan.steps if s.due]
    assert limits == ["10个工作日内", "再5个工作日内"]
    assert "（10个工作日内）" in plan.explain()
