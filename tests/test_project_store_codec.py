"""Lossless encoding of values and options in the project file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.project import codec


@pytest.mark.parametrize(
    "value",
    [
        "",
        '文本 with "quotes" and {braces}',
        '{"$decimal": "1.0"}',  # a string that looks like a tag stays a string
        0,
        -7,
        2**70,
        True,
        False,
        Decimal("123.450"),
        Decimal("0.00"),
        Decimal("-1E+3"),
        Decimal("1E-12"),
        Decimal("98765432109876543210.123456789"),
        dt.date(2018, 12, 31),
        dt.date(1, 1, 1),
    ],
)
def test_values_round_trip_with_their_type_and_exponent(value: object) -> None:
    back = codec.decode_value(codec.encode_value(value))  # type: ignore[arg-type]
    assert back == value
    assert type(back) is type(value)
    assert str(back) == str(value)


def test_bool_and_int_do_not_merge() -> None:
    assert codec.encode_value(True) == "true"
    assert codec.encode_value(1) == "1"
    assert codec.decode_value("true") is True
    assert type(codec.decode_value("1")) is int


@pytest.mark.parametrize(
    "value", [1.5, None, dt.datetime(2019, 1, 1, 12, 0), [1], {"a": 1}, b"bytes"]
)
def test_non_values_are_refused_on_the_way_in(value: object) -> None:
    with pytest.raises(TypeError):
        codec.encode_value(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["1.5", "null", "[1]", '{"a": 1}', '{"$decimal": "abc"}', "not json", '{"$date": "x"}']
)
def test_bad_stored_values_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        codec.decode_value(text)


def test_options_keep_nested_decimals_dates_and_floats() -> None:
    options = {
        "duplex": False,
        "gutter_mm": 25,
        "scale": 0.973,
        "fees": [Decimal("0.10"), Decimal("2.500")],
        "when": {"built": dt.date(2019, 4, 1)},
        "label": "装订线",
    }
    back = codec.decode_json(codec.encode_json(options))
    assert back == options
    assert str(back["fees"][1]) == "2.500"
    with pytest.raises(ValueError):
        codec.encode_json({"x": float("nan")})
    with pytest.raises(TypeError):
        codec.encode_json({"x": object()})


def test_amounts_are_exact_text() -> None:
    assert codec.encode_decimal(Decimal("1.1450")) == "1.1450"
    assert str(codec.decode_decimal("0.127640")) == "0.127640"
    with pytest.raises(TypeError):
        codec.encode_decimal(1.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        codec.decode_decimal("1,5")
