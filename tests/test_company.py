"""Company checks: the unified social credit code (GB 32100-2015), phone, e-mail, file names."""

from __future__ import annotations

import pytest

from app.files import safe_file_stem
from app.rules.company import (
    USCC_CHARSET,
    check_credit_code,
    check_email,
    check_phone,
    normalise_credit_code,
    uscc_check_char,
)


def test_charset_has_31_characters_without_i_o_s_v_z() -> None:
    assert len(USCC_CHARSET) == len(set(USCC_CHARSET)) == 31
    assert not set("IOSVZ") & set(USCC_CHARSET)


def test_check_char_of_a_published_code() -> None:
    """A code printed on a real business licence (Shenzhen Tencent Computer Systems Co.):
    its 18th character is independent evidence that the weights and charset are right."""
    assert uscc_check_char("9144030071526726X") == "G"
    assert check_credit_code("9144030071526726XG") is None


def test_check_char_by_hand() -> None:
    # 17 zeros: sum 0 -> (31 - 0) % 31 = 0.
    assert uscc_check_char("0" * 17) == "0"
    # "1" then 16 zeros: sum 1 * 1 = 1 -> 31 - 1 = 30 -> "Y".
    assert uscc_check_char("1" + "0" * 16) == "Y"
    # 16 zeros then "1": weight 28 -> 31 - 28 = 3.
    assert uscc_check_char("0" * 16 + "1") == "3"
    # "1" in third place: weight 9 -> 31 - 9 = 22 -> "N" (no I or O in the charset).
    assert uscc_check_char("001" + "0" * 14) == "N"
    # "A" (10) in tenth place: weight 29 -> 290 % 31 = 11 -> 31 - 11 = 20 -> "L".
    assert uscc_check_char("0" * 9 + "A" + "0" * 7) == "L"


def test_real_format_example_with_its_computed_check_char() -> None:
    first17 = "91440400MA4UXXXXX"  # 9 company, 1 enterprise, 440400 Zhuhai, MA4U... body
    code = first17 + uscc_check_char(first17)
    assert len(code) == 18
    assert check_credit_code(code) is None
    wrong = next(c for c in USCC_CHARSET if c != code[17])
    message = check_credit_code(first17 + wrong)
    assert message is not None and "校验位" in message


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("", "请填写"),
        ("   ", "请填写"),
        ("91440400MA4UXXXX", "现为16位"),
        ("91440400MA4UXXXXXXX", "现为19位"),
        ("91440400MA4UXXXXIK", "I"),
        ("91440400MA4UXXXXOK", "O"),
        ("91440400MA4UXXXXSK", "S"),
        ("91440400MA4UXXXXVK", "V"),
        ("91440400MA4UXXXXZK", "Z"),
        ("9144A400MA4UXXXXXK", "行政区划码"),
    ],
)
def test_bad_credit_codes(code: str, word: str) -> None:
    message = check_credit_code(code)
    assert message is not None and word in message


def test_single_character_typos_are_caught() -> None:
    first17 = "91440400MA4UXXXXX"
    code = first17 + uscc_check_char(first17)
    for i in range(17):
        for ch in USCC_CHARSET:
            if ch == code[i] or (2 <= i < 8 and not ch.isdigit()):
                continue
            typo = code[:i] + ch + code[i + 1 :]
            assert check_credit_code(typo) is not None, typo


def test_normalisation_lower_case_spaces_full_width() -> None:
    first17 = "91440400MA4UXXXXX"
    code = first17 + uscc_check_char(first17)
    assert normalise_credit_code(" 9144 0400ma4u xxxxx" + code[17].lower() + " ") == code
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert normalise_credit_code(full_width) == code
    assert check_credit_code(full_width) is None


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("0756-1234567", True),
        ("13622965527", True),
        ("+86 756 1234567", True),
        ("（0756）2605681", True),
        ("", False),
        ("123456", False),
        ("0756-12ab567", False),
        ("-------", False),
        # Zhuhai: 0756 and 7 or 8 digits, with an extension written several ways.
        ("0756-12345678", True),
        ("0756 2212345", True),
        ("07562212345", True),
        ("0756-2212345-801", True),
        ("0756-2212345转801", True),
        ("(0756)2212345 ext. 12", True),
        ("0756－2212345", True),  # a full-width dash
        ("0756-12345", False),  # the trial's number: too short
        ("0756-123456789", False),
        ("0756-0212345", False),
        ("2212345", False),  # no area code
        # Three-digit area codes take 8 digits.
        ("010-12345678", True),
        ("020-87654321", True),
        ("010-1234567", False),
        # Mobiles: 11 digits from 13 to 19, optionally +86.
        ("136-2296-5527", True),
        ("+86 136 2296 5527", True),
        ("8613622965527", True),
        ("1362296552", False),
        ("12345678901", False),
        ("13622965527转8", False),
        ("400-820-8820", True),
    ],
)
def test_phone(phone: str, ok: bool) -> None:
    assert (check_phone(phone) is None) is ok


@pytest.mark.parametrize(
    ("phone", "words"),
    [
        ("0756-12345", ["0756", "7或8位", "12345"]),
        ("2212345", ["请加区号", "0756-2212345"]),
        ("1362296552", ["11位", "10位"]),
        ("010-1234567", ["010", "8位"]),
    ],
)
def test_phone_messages_say_what_is_wrong(phone: str, words: list[str]) -> None:
    message = check_phone(phone)
    assert message is not None
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("", True),  # optional
        ("member@zasto.org.cn", True),
        ("name@example", False),
        ("name example.com", False),
        ("@example.com", False),
        ("a@b@c.com", False),
    ],
)
def test_email(email: str, ok: bool) -> None:
    assert (check_email(email) is None) is ok


@pytest.mark.parametrize(
    ("name", "stem", "changed"),
    [
        ("珠海示例软件有限公司", "珠海示例软件有限公司", False),
        ("珠海A/B科技有限公司", "珠海A／B科技有限公司", True),
        ('珠海"星"科技:有限公司?', "珠海＂星＂科技：有限公司？", True),
        ("珠海科技有限公司.", "珠海科技有限公司", True),
        ("CON", "CON＿", True),
        ("", "未命名企业", True),
    ],
)
def test_safe_file_stem(name: str, stem: str, changed: bool) -> None:
    assert safe_file_stem(name) == (stem, changed)
