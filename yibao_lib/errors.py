"""Errors raised by yibao_lib. Every message is plain Chinese, written for the person using the app.

Hierarchy::

    YibaoError                      base of everything this library raises on purpose
    ├── YibaoInputError (ValueError)   the input cannot be used (bad age, unknown sex, …)
    │   ├── UnknownRegionError (LookupError)   no region by that name or code
    │   │   └── AmbiguousRegionError           several places share the name (lists them)
    │   └── MissingInputError                  the rule needs a figure the user has to enter
    └── DataError                      a row in data/ is broken (names file, row and field)
"""

from __future__ import annotations


class YibaoError(Exception):
    """Base class of all errors raised by yibao_lib."""


class YibaoInputError(YibaoError, ValueError):
    """The user's input cannot be used; the message says what to change."""


class UnknownRegionError(YibaoInputError, LookupError):
    """No region matches the given name or code. ``suggestions`` lists close matches."""

    def __init__(self, query: object, suggestions: list[str] | None = None, *, message: str | None = None):
        self.query = query
        self.suggestions = list(suggestions or [])
        if message is None:
            message = f"没有找到地区“{query}”。"
            if self.suggestions:
                message += "您是不是要找：" + "、".join(self.suggestions) + "？"
            else:
                message += "请输入省、市、区县的中文名称（如“深圳”“昆山”）或6位行政区划代码（如 440300）。"
        super().__init__(message)


class AmbiguousRegionError(UnknownRegionError):
    """Several places share the name typed; ``candidates`` names each with its parent."""

    def __init__(self, query: object, candidates: list[str]):
        self.candidates = list(candidates)
        message = (
            f"“{query}”有{len(self.candidates)}个地方同名：" + "、".join(self.candidates)
            + "。请连同上级一起输入，例如“" + _with_parent_example(self.candidates[0]) + "”。"
        )
        super().__init__(query, self.candidates, message=message)


def _with_parent_example(candidate: str) -> str:
    """朝阳区（北京市） → 北京市朝阳区."""
    name, _, parent = candidate.partition("（")
    return parent.rstrip("）") + name if parent else name


class MissingInputError(YibaoInputError):
    """The applicable rule needs a figure (such as an average pension) the user must enter."""

    def __init__(self, message: str, field: str):
        self.field = field
        super().__init__(message)


class DataError(YibaoError):
    """A data file is broken. The message names the file, the row and the field."""

    def __init__(self, file: str, row: int | None, field: str | None, problem: str):
        self.file, self.row, self.field, self.problem = file, row, field, problem
        where = file
        if row is not None:
            where += f" 第{row}行"
        if field:
            where += f" 字段“{field}”"
        super().__init__(f"数据文件有误：{where}：{problem}")
