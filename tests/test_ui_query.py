"""One declarative mechanism for the page's link: each app declares its parameters, one function
reads them (values + Chinese notices), and share links are written from the same declarations —
so what a link writes is what the app reads back."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest

from yibao_lib import YibaoInputError
from yibao_lib.apps import compare_regions, contribution_years, home, retiree_credit, transfer_guide
from yibao_lib.apps.compare_regions import CompareRegionsApp
from yibao_lib.apps.contribution_years import ContributionYearsApp
from yibao_lib.apps.home import HomeApp
from yibao_lib.apps.retiree_credit import RetireeCreditApp
from yibao_lib.apps.transfer_guide import TransferGuideApp
from yibao_lib.inputs import to_age
from yibao_lib.ui import query
from yibao_lib.ui.query import Param, Parsed, link_query, query_params, read_query

ON = "2026-11-26"
AGE = Param("age", to_age, 65, "年龄", "65 岁")
DAY = Param("date", date.fromisoformat, date.today, keep_default=False)


def test_absent_and_empty_values_give_the_defaults_without_notes():
    read = read_query((AGE, DAY), {"age": "  "})
    assert read.values == {"age": 65, "date": date.today()} and read.notes == []
    assert read.given == frozenset()


def test_a_refused_value_gives_the_default_and_a_chinese_note():
    read = read_query((AGE,), {"age": "abc"})
    assert read["age"] == 65 and read.given == {"age"}
    assert read.all_notes == [f"链接里的年龄有误：{_refusal('abc')} 已改用65 岁。"]


def _refusal(text: str) -> str:
    with pytest.raises(YibaoInputError) as caught:
        to_age(text)
    return str(caught.value)


def test_notes_are_kept_by_group_and_parsed_values_may_carry_notes():
    worker = Param("base", int, 0, group="worker", note="{label}?")
    parts = Param("region", lambda t: Parsed(t.split(","), ("略过一个",)), list)
    bad = Param("x", lambda t: (_ for _ in ()).throw(YibaoInputError("不行")), "d", "参数", "d")
    read = read_query((worker, parts, bad), {"base": "1", "region": "a,b", "x": "?"})
    assert read["base"] == 1 and read["region"] == ["a", "b"] and read["x"] == "d"
    assert read.notes_for("") == ["略过一个", "链接里的参数有误：不行 已改用d。"]
    assert read.notes_for("worker") == []


def test_links_leave_out_empty_values_and_defaults_where_asked():
    assert link_query((AGE, DAY), {"age": 70, "date": date.today()}) == {"age": "70"}
    assert link_query((AGE, DAY), {"age": 65, "date": date(2026, 6, 1)}) == {
        "age": "65", "date": "2026-06-01",
    }  # fmt: skip
    assert link_query((AGE, DAY), {"age": None}) == {}
    assert link_query((Param("on", query.flag, False),), {"on": True}) == {"on": "1"}


def test_parsers():
    assert query.flag("是") is True and query.flag("0") is False
    with pytest.raises(YibaoInputError):
        query.flag("maybe")
    assert query.choice({"a": "x"})("A") == "x"
    with pytest.raises(YibaoInputError):
        query.choice({"a": "x"})("b")
    assert query.one_of(("city", "province"))("city") == "city"
    with pytest.raises(YibaoInputError):
        query.one_of(("city", "province"))("town")


def test_the_raw_query_string_is_read_in_one_place(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "age=70&big=1&x=")
    assert query.raw_query_string() == "age=70&big=1&x="
    assert query_params() == {"age": "70", "big": "1"}
    package = Path(query.__file__).resolve().parent.parent
    readers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "QUERY_STRING" in path.read_text(encoding="utf-8")
        or ("os.environ" in path.read_text(encoding="utf-8") and "ui" in path.parts)
    )
    assert readers == ["ui/query.py"]


# ---- every app: what its link writes is what it reads back ----------------------------------------


def _link(app) -> dict[str, str]:
    href = re.search(r'<a href="\?([^"]*)" class="yb-share-link"', app.share.value)
    assert href, app.share.value
    return query_params(html.unescape(href.group(1)))


APPS = [
    (RetireeCreditApp, retiree_credit.PARAMS,
     {"region": "440300", "age": "72", "date": "2026-06-01", "base": "8000", "balance": "1000",
      "until": "2030-12-31", "big": "1"}),
    (RetireeCreditApp, retiree_credit.PARAMS, {"region": "江苏", "age": "70", "avg": "4000", "date": ON}),
    (CompareRegionsApp, compare_regions.PARAMS,
     {"age": "75", "avg": "3700", "date": "2025-06-01", "color": "confidence", "view": "province",
      "region": "上海,深圳"}),
    (ContributionYearsApp, contribution_years.PARAMS,
     {"region": "430000", "sex": "女", "total": "26", "local": "12.5", "deemed": "3",
      "date": "2027-03-01"}),
    (TransferGuideApp, transfer_guide.PARAMS,
     {"from": "450100", "to": "北京", "scheme": "resident", "retired": "0", "relocated": "0",
      "stopped": "0", "enrolled": "1", "connected": "1", "channel": "offline", "start": "2026-06-01",
      "step": "3", "big": "1"}),
]  # fmt: skip


@pytest.mark.parametrize(("cls", "params", "query_in"), APPS, ids=lambda v: getattr(v, "__name__", ""))
def test_each_apps_share_link_reads_back_to_the_same_inputs(cls, params, query_in):
    first = cls(query_in)
    link = _link(first)
    declared = {p.name for p in params} | {"big"}
    assert set(link) <= declared, set(link) - declared
    again = cls(link)
    assert again.link_values() == first.link_values()
    assert again.share.value == first.share.value
    assert again.large_text.on is first.large_text.on is ("big" in query_in)
    notes = getattr(again, "messages", None) or getattr(again, "_query_notes", None) or []
    assert notes == [] and "链接" not in again.result.value.split("yb-card")[0]
    read = read_query(params, link)
    assert read.notes == []


def test_an_input_changed_after_loading_is_in_the_link_and_reads_back():
    app = RetireeCreditApp({"region": "北京", "age": "70", "date": ON})
    app.region.value, app.age.value = "上海", 81
    again = RetireeCreditApp(_link(app))
    assert again.region.value == "上海市" and again.age.value == 81
    assert again.result.value == app.result.value


def test_the_home_page_declares_no_inputs_but_reads_big():
    assert home.PARAMS == ()
    assert HomeApp({"big": "1"}).large_text.on and not HomeApp({}).large_text.on
