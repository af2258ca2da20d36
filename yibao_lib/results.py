"""Shared parts of result objects: a plain-text explanation and a JSON-friendly dict."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from .model import CONFIDENCE_LABELS, CONFIDENCE_RANK, Region, Source

# Order used when several rows with different confidence feed one answer: the weakest wins.
_WEAKNESS = CONFIDENCE_RANK


def weakest(levels) -> str:
    """The least certain of several confidence levels."""
    return max(levels, key=_WEAKNESS.__getitem__)


class Explained:
    """Mixin for frozen result dataclasses with ``steps``, ``sources``, ``notes``, ``confidence``."""

    @property
    def confidence_label(self) -> str:
        return CONFIDENCE_LABELS[self.confidence]

    def explain(self) -> str:
        """Steps, notes and sources as plain Chinese text (for copying into a chat)."""
        lines = [f"{i}. {step}" for i, step in enumerate(self.steps, 1)]
        for note in getattr(self, "notes", ()):
            lines.append(f"注：{note}")
        if getattr(self, "estimated", False):
            lines.append("提示：此结果含估算成分，请以当地医保部门规定为准。")
        lines.append(f"可信度：{self.confidence_label}")
        lines.extend(f"来源：{source.cite()}" for source in self.sources)
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """A JSON-friendly dict: Decimals as strings, dates as ISO text, regions as codes."""
        return _plain(self)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Region):
        return {"code": value.code, "name": value.name}
    if isinstance(value, Source):
        return {"id": value.id, "title": value.title, "publisher": value.publisher,
                "kind": value.kind, "url": value.url, "published": value.published}  # fmt: skip
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, Explained):
            out["confidence_label"] = value.confidence_label
        return out
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
