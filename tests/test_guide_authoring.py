"""Writing a guide file without a programmer: ``guide check`` (every problem at once, with its
line and a key path counted from 1), ``guide new`` (a skeleton that checks and loads),
``guide test`` (the file's own cases, run through the rules) and the line locator."""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import pytest

from app.cli import main
from app.guide import CHECKLIST_DIR, available_guides, load_guide
from app.guide.locate import locate
from app.system.errors import GuideError

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = CHECKLIST_DIR / "zhuhai-2019.toml"


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _line_of(text: str, needle: str) -> int:
    lines = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(lines) == 1, needle
    return lines[0]


@pytest.fixture
def shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


# -- guide check ---------------------------------------------------------------------------------


def test_check_accepts_every_bundled_guide() -> None:
    for path in available_guides():
        code, out, _ = run("guide", "check", path)
        assert code == 0, out
        assert "没有错误" in out


def test_check_lists_every_problem_at_once_with_lines(tmp_path: Path, shipped_text: str) -> None:
    text = shipped_text
    text = _edit(
        text, 'short_title = "2019年服务贸易发展事项"', 'short_titel = "2019年服务贸易发展事项"'
    )
    text = _edit(text, "year = 2019\n", 'year = "2019"\n')
    text = _edit(text, 'cost_measure = "tt_cost_cny"', 'cost_measur = "tt_cost_cny"')
    text = _edit(
        text,
        'ceiling = { kind = "share", measure = "ct_cost_cny", percent = 100, cap = 100000 }',
        'ceiling = { kind = "share", measure = "ct_cost_cny", percent = 500, cap = -100000 }',
    )
    text = _edit(
        text,
        "tiers = [[200, 50000], [500, 100000], [1000, 150000]]",
        "tiers = [[200, 50000], [500, -100000], [1000, 150000]]",
    )
    text = _edit(
        text,
        '{ field = "on_record", op = "==", value = true,',
        '{ field = "on_record", op = ">=", value = 1,',
    )
    text = _edit(
        text,
        'tge_amount_usd", op = ">", value = 300000,',
        'tge_amount_usd", op = ">", value = -300000,',
    )
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("guide", "check", path)
    assert code == 1
    lines = out.strip().split("\n")
    problems = [line for line in lines if "错误" in line and line.startswith("  第")]
    expected = {
        _line_of(text, "short_titel"): "short_titel：未知的键 short_titel，是否应为 short_title？",
        _line_of(text, 'year = "2019"'): "year：应为整数",
        _line_of(text, "cost_measur ="): (
            "items[第4个：technology_trade].cost_measur：未知的键 cost_measur，是否应为 cost_measure？"
        ),
        _line_of(
            text, "percent = 500"
        ): "items[第5个：culture_translation].ceiling.percent：百分比应在 0 到 100",
        _line_of(text, "[500, -100000]"): "items[第11个：talent_training].ceiling.tiers[第2档]",
        _line_of(text, 'field = "on_record", op = ">="'): (
            "items[第11个：talent_training].conditions[第1个].value：已纳入省商务厅备案"
        ),
    }
    for line_no, words in expected.items():
        hits = [p for p in problems if p.startswith(f"  第 {line_no} 行")]
        assert any(words in h for h in hits), (words, hits, out)
    assert any("cap：金额不能为负数" in p for p in problems)
    negative = _line_of(text, "value = -300000")
    assert any(p.startswith(f"  第 {negative} 行") and "不能为负数" in p for p in problems)
    assert any("是“是/否”字段" in p for p in problems)
    # a misspelt key is not also reported as missing
    assert not any("short_title：缺少此项" in p or "cost_measure：缺少此项" in p for p in problems)
    assert lines[-1].startswith(f"共 {len(problems)} 处错误")
    assert len(problems) == 8


def test_check_translates_toml_syntax_errors(tmp_path: Path, shipped_text: str) -> None:
    text = _edit(shipped_text, 'ceiling = { kind = "fixed", amount = 20000 }', "ceiling = 2万")
    text = _edit(text, 'issuer = "珠海市商务局"', "issuer = “珠海市商务局”")
    text = _edit(text, "review_copies = 2", "review_copies = 两份")
    path = tmp_path / "syntax.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("guide", "check", path)
    assert code == 1
    assert re.search(
        rf"第 {_line_of(text, 'ceiling = 2万')} 行　错误　TOML 语法错误，第 12 列（“万”处）"
        r".*不带单位，如 ceiling = 20000",
        out,
    ), out
    assert re.search(rf"第 {_line_of(text, 'issuer = “')} 行.*中文标点““”", out), out
    assert re.search(rf"第 {_line_of(text, 'review_copies = 两份')} 行.*阿拉伯数字", out), out
    assert "Invalid" not in out and "Expected" not in out
    # the program's own loader says the same, with the line
    with pytest.raises(GuideError) as info:
        load_guide(path)
    assert info.value.line == _line_of(text, "issuer = “")  # the first
    assert "中文标点" in info.value.reason and "（文件）" not in info.value.message


def test_check_warns_of_suspicious_values_but_accepts_them(
    tmp_path: Path, shipped_text: str
) -> None:
    text = _edit(shipped_text, "date = 2019-02-28", "date = 2029-02-28")
    path = tmp_path / "dates.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("guide", "check", path)
    assert code == 0
    assert f"第 {_line_of(text, '2029-02-28')} 行　提醒" in out
    assert "不在指南年度 2019 年" in out
    assert "第 8 行　提醒　id：与程序自带的指南 zhuhai-2019.toml 的 id 相同" in out  # a copy
    load_guide(path)  # a warning never refuses


def test_a_bom_and_utf16_from_notepad_are_read(tmp_path: Path, shipped_text: str) -> None:
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + shipped_text.encode("utf-8"))
    assert load_guide(bom).id == "zhuhai-service-trade-2019"
    assert run("guide", "check", bom)[0] == 0
    utf16 = tmp_path / "utf16.toml"
    utf16.write_bytes(shipped_text.encode("utf-16"))
    assert load_guide(utf16).items == load_guide(SHIPPED).items


def test_loader_error_carries_line_chinese_path_and_the_count(
    tmp_path: Path, shipped_text: str
) -> None:
    text = _edit(shipped_text, 'cost_measure = "tt_cost_cny"', 'cost_measure = "tt_costs_cny"')
    text = _edit(text, 'kind = "scan"\noriginal = true\n', 'kind = "scan"\noriginal = "yes"\n')
    path = tmp_path / "two.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GuideError) as info:
        load_guide(path)
    err = info.value
    assert err.more == 1
    assert err.line in (_line_of(text, "tt_costs_cny"), _line_of(text, 'original = "yes"'))
    assert f"第 {err.line} 行" in err.message and "另有 1 处问题" in err.message


# -- guide new -----------------------------------------------------------------------------------


def test_new_writes_a_skeleton_that_checks_loads_and_tests(tmp_path: Path) -> None:
    out_path = tmp_path / "新指南.toml"
    code, out, _ = run("guide", "new", out_path, "--year", "2024")
    assert code == 0 and out_path.is_file()
    text = out_path.read_text(encoding="utf-8")
    assert "【请填写】" in text and "# " in text
    guide = load_guide(out_path)
    assert guide.year == 2024 and guide.period_start.year == 2023
    code, out, _ = run("guide", "check", out_path)
    assert code == 0
    assert "提醒" in out and "【请填写】" in out  # the placeholders are pointed at
    code, out, _ = run("guide", "test", out_path)
    assert code == 0
    assert out.strip().split("\n")[-1] == "共 2 例：通过 2，失败 0"


def test_new_never_overwrites(tmp_path: Path) -> None:
    out_path = tmp_path / "mine.toml"
    out_path.write_text("# my work\n", encoding="utf-8")
    code, _, err = run("guide", "new", out_path)
    assert code == 2
    assert "已存在" in err and "不会覆盖" in err
    assert out_path.read_text(encoding="utf-8") == "# my work\n"


# -- guide test ----------------------------------------------------------------------------------


def test_every_bundled_guide_passes_its_own_cases() -> None:
    for path in available_guides():
        code, out, _ = run("guide", "test", path)
        lines = out.strip().split("\n")
        assert code == 0, "\n".join(line for line in lines if not line.startswith("通过"))
        m = re.fullmatch(r"共 (\d+) 例：通过 (\d+)，失败 0", lines[-1])
        assert m and m.group(1) == m.group(2)
        assert all(line.startswith("通过　第 ") for line in lines[:-1])


def test_the_bundled_cases_cover_every_item_below_at_and_above() -> None:
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    guide = load_guide(SHIPPED)
    cases = data["tests"]
    for item in guide.items:
        results = [c["expect"][item.id] for c in cases if item.id in c.get("expect", {})]
        assert any(r["eligible"] for r in results), item.id
        assert any(not r["eligible"] for r in results), item.id
    # every tier of every tiered item is reached
    for item in guide.items:
        if item.ceiling.kind == "tiers":
            ceilings = {
                c["expect"][item.id]["ceiling"] for c in cases if item.id in c.get("expect", {})
            }
            assert {int(a) for _, a in item.ceiling.tiers} <= ceilings, item.id


def test_a_wrong_expectation_fails_with_what_differs(tmp_path: Path, shipped_text: str) -> None:
    text = _edit(
        shipped_text,
        'name = "（七）2. 人才培养：培训 500 人 → 100,000元"\n',
        'name = "（七）2. 人才培养：培训 500 人 → 100,000元"\n# edited\n',
    )
    text = text.replace(
        "trainee_count = 500 } }\n"
        "expect = { talent_training = { eligible = true, ceiling = 100000 } }\n",
        "trainee_count = 500 } }\n"
        "expect = { talent_training = { eligible = true, ceiling = 50000 } }\n",
        1,
    )
    path = tmp_path / "wrong.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("guide", "test", path)
    assert code == 1
    lines = out.strip().split("\n")
    failed = [line for line in lines if line.startswith("失败")]
    assert len(failed) == 1 and "培训 500 人" in failed[0]
    assert "支持上限应为 50,000.00 元，实为 100,000.00 元" in failed[0]  # one line per case
    assert len(lines) == len([line for line in lines if re.match("(通过|失败)　第 ", line)]) + 1
    total = re.fullmatch(r"共 (\d+) 例：通过 (\d+)，失败 1", lines[-1])
    assert total and int(total.group(1)) == int(total.group(2)) + 1


def test_cases_are_checked_like_the_rest(tmp_path: Path, shipped_text: str) -> None:
    text = shipped_text + (
        "\n[[tests]]\n"
        'name = "typo"\n'
        "expect = { tcm_project = { eligible = true } }\n"
        "inputs = { culture_translation = { in_catalog = true } }\n"
    )
    path = tmp_path / "cases.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("guide", "check", path)
    assert code == 1
    n = len(text.split("\n"))
    assert re.search(
        rf"第 {n - 2} 行　错误　tests\[第\d+个\]\.expect\.tcm_project：未知的项目", out
    )
    assert re.search(rf"第 {n - 1} 行　错误　.*in_catalog 不是项目 culture_translation 的输入", out)
    code, out, _ = run("guide", "test", path)
    assert code == 2 and "无法运行测试" in out


def test_cases_may_stand_in_a_companion_file(tmp_path: Path) -> None:
    guide = tmp_path / "g.toml"
    assert run("guide", "new", guide, "--year", "2024")[0] == 0
    text = guide.read_text(encoding="utf-8")
    head, cases = text.split("[[tests]]", 1)
    guide.write_text('tests_file = "g.tests.toml"\n' + head.rstrip() + "\n", encoding="utf-8")
    (tmp_path / "g.tests.toml").write_text("[[tests]]" + cases, encoding="utf-8")
    code, out, _ = run("guide", "test", guide)
    assert code == 0 and out.strip().endswith("共 2 例：通过 2，失败 0")


def test_ci_and_readme_run_guide_test_on_every_bundled_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for path in available_guides():
        line = f".venv/bin/python main.py guide test checklists/{path.name}"
        assert line in readme and line in ci, path.name


# -- the locator ---------------------------------------------------------------------------------


def test_locator_finds_every_key_of_the_shipped_guide(shipped_text: str) -> None:
    lines = locate(shipped_text)
    text_lines = shipped_text.split("\n")
    data = tomllib.loads(shipped_text)
    seen = 0

    def walk(value: object, path: tuple[str | int, ...]) -> None:
        nonlocal seen
        if path:
            assert path in lines, path
            key = path[-1]
            if isinstance(key, str):
                assert key in text_lines[lines[path] - 1], (path, lines[path])
            seen += 1
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))

    walk(data, ())
    assert seen > 1000


def test_locator_handles_toml_constructs() -> None:
    text = (
        "# comment = 1\n"  # 1
        "a.b = 1\n"  # 2
        '"quoted key" = """\n'  # 3
        "x = 2\n"  # 4
        '"""\n'  # 5
        "[t]\n"  # 6
        "in = { k = [1,\n"  # 7
        "  2], m = { n = 'v' } }\n"  # 8
        "[[arr]]\n"  # 9
        "id = 'one'\n"  # 10
        "[[arr]]\n"  # 11
        "[arr.sub]\n"  # 12
        "deep = [\n"  # 13
        "  [1, 2],  # note ] }\n"  # 14
        "  [3, 4],\n"  # 15
        "]\n"  # 16
        "[[arr.items]]\n"  # 17
        "z = 0\n"  # 18
    )
    tomllib.loads(text)
    lines = locate(text)
    assert lines[("a", "b")] == 2
    assert lines[("quoted key",)] == 3
    assert ("x",) not in lines  # inside a multi-line string
    assert lines[("t", "in", "k", 1)] == 8
    assert lines[("t", "in", "m", "n")] == 8
    assert lines[("arr", 0, "id")] == 10
    assert lines[("arr", 1)] == 11
    assert lines[("arr", 1, "sub", "deep", 1)] == 15
    assert lines[("arr", 1, "items", 0, "z")] == 18


# -- the Chinese authoring guide -------------------------------------------------------------------

AUTHORING = ROOT / "docs" / "指南文件编写说明.md"


def test_the_worked_example_checks_and_passes_its_cases(tmp_path: Path) -> None:
    blocks = re.findall(r"```toml\n(.*?)```", AUTHORING.read_text(encoding="utf-8"), re.S)
    path = tmp_path / "example.toml"
    path.write_text(blocks[-1], encoding="utf-8")
    code, out, _ = run("guide", "check", path)
    assert code == 0 and "没有错误" in out and "提醒" not in out
    code, out, _ = run("guide", "test", path)
    assert code == 0 and out.strip().endswith("共 2 例：通过 2，失败 0")


def test_every_key_the_loader_reads_is_explained() -> None:
    doc = AUTHORING.read_text(encoding="utf-8")
    getters = (
        r"\.(?:text|opt_str|flag|integer|decimal|amount|date|str_list|nodes|node|named_nodes|raw)"
    )
    sources = ("loader.py", "parts.py", "process_parts.py", "output_parts.py")
    keys = set()
    for name in sources:
        src = (ROOT / "app" / "guide" / name).read_text(encoding="utf-8")
        keys |= set(re.findall(getters + r'\("([a-z_]+)"', src))
    assert len(keys) > 60
    missing = [k for k in sorted(keys) if not re.search(rf"[`\[.]{k}[`\].<= ]", doc)]
    assert not missing, missing


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "format：缺少此项"),
        (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "嵌套层数过多"),
        (b"\xff\xfe\x00" + bytes(range(200)), "UTF-8"),
        (b"items = 5\ntables = 'x'\n", "items：应为表的数组"),
    ],
)
def test_hostile_files_get_a_chinese_message(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "hostile.toml"
    path.write_bytes(content)
    code, out, err = run("guide", "check", path)
    assert code == 1 and words in out, out
    with pytest.raises(GuideError):
        load_guide(path)
    code, out, err = run("guide", "check", tmp_path)  # a folder
    assert code == 1 and "文件夹" in out and not err
