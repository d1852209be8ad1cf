"""Lossless JSON encoding of item inputs, table cells and options.

JSON has no decimal or date type, and Python's ``json`` would turn ``Decimal("123.450")`` into a
float and ``True`` into ``1`` if we were careless. Scalars that JSON represents exactly (``str``,
``int``, ``bool``) are stored as themselves; the two others are tagged one-key objects:

==================  ==============================
Python value        stored JSON
==================  ==============================
``"abc"``           ``"abc"``
``42``              ``42``
``True``            ``true``
``Decimal("1.50")`` ``{"$decimal": "1.50"}``
``date(2019,3,1)``  ``{"$date": "2019-03-01"}``
==================  ==============================

``Decimal`` keeps its exponent (``"123.450"`` stays ``"123.450"``), and ``bool`` is checked before
``int`` in both directions so it never degrades to ``0``/``1``.
"""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from app.model import Value

_DECIMAL_TAG = "$decimal"
_DATE_TAG = "$date"


def _check_value(value: object) -> Value:
    """Return ``value`` if it is one of the :data:`app.model.Value` types, else raise TypeError."""
    # datetime is a subclass of date but not a Value: it would lose its time on the way back.
    if isinstance(value, _dt.datetime):
        raise TypeError(f"datetime is not a project value (use datetime.date): {value!r}")
    if isinstance(value, str | bool | int | Decimal | _dt.date):
        return value
    raise TypeError(f"not a project value (str, int, bool, Decimal or date): {value!r}")


def _default(obj: object) -> dict[str, str]:
    """``json.dumps`` hook for the two types JSON lacks."""
    if isinstance(obj, Decimal):
        return {_DECIMAL_TAG: str(obj)}
    if isinstance(obj, _dt.date) and not isinstance(obj, _dt.datetime):
        return {_DATE_TAG: obj.isoformat()}
    raise TypeError(f"cannot store {type(obj).__name__} in a project file: {obj!r}")


def _object_hook(obj: dict[str, Any]) -> Any:
    """``json.loads`` hook undoing :func:`_default`."""
    if len(obj) == 1:
        if _DECIMAL_TAG in obj and isinstance(obj[_DECIMAL_TAG], str):
            try:
                return Decimal(obj[_DECIMAL_TAG])
            except InvalidOperation as exc:
                raise ValueError(f"bad decimal in project file: {obj!r}") from exc
        if _DATE_TAG in obj and isinstance(obj[_DATE_TAG], str):
            return _dt.date.fromisoformat(obj[_DATE_TAG])
    return obj


def encode_value(value: Value) -> str:
    """Encode one item input or table cell value (strictly a :data:`app.model.Value`)."""
    return json.dumps(_check_value(value), default=_default, ensure_ascii=False)


def decode_value(text: str) -> Value:
    """Decode what :func:`encode_value` produced. Raises ValueError on anything else."""
    try:
        value = json.loads(text, object_hook=_object_hook)
    except json.JSONDecodeError as exc:
        raise ValueError(f"bad value in project file: {text!r}") from exc
    try:
        return _check_value(value)
    except TypeError as exc:
        raise ValueError(f"bad value in project file: {text!r}") from exc


def encode_json(obj: Any) -> str:
    """Encode a JSON-able structure (options, metadata); Decimal and date are allowed anywhere.

    NaN and infinities are refused (``ValueError``): they are not JSON.
    """
    return json.dumps(obj, default=_default, ensure_ascii=False, allow_nan=False, sort_keys=True)


def decode_json(text: str) -> Any:
    """Decode what :func:`encode_json` produced."""
    try:
        return json.loads(text, object_hook=_object_hook)
    except json.JSONDecodeError as exc:
        raise ValueError(f"bad JSON in project file: {text!r}") from exc


def encode_decimal(amount: Decimal) -> str:
    """A money amount or rate as exact text (``str(Decimal)`` keeps the exponent)."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}: {amount!r}")
    return str(amount)


def decode_decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"bad amount in project file: {text!r}") from exc
