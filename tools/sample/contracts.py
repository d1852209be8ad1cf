"""Contract scans of the sample: the outsourcing contracts and the certification consulting
contracts, with their signing blocks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PIL import Image

from tools.sample.data import BUSINESS_TYPE_NAMES, COMPANY, D, money
from tools.sample.draw import Page, company_seal


def contract_pages(row: dict[str, Any], seed: int, two_pages: bool = False) -> list[Image.Image]:
    offshore = row["scope"] == "offshore"
    p = Page(seed=seed)
    if offshore:
        p.title("SERVICE AGREEMENT", 40, 8)
        p.title(row["name"], 36, 14)
    else:
        p.title(row["name"], 40, 14)
    p.subtitle(f"合同编号：AL-{row['execution_date']:%Y%m}-{row['id'].upper()}（样例）", 22, 24)
    p.fields(
        [
            ("甲方（发包方）", row["client"]),
            ("国家/地区", row["country"]),
            ("乙方（承接方）", COMPANY["name"]),
        ],
        23,
        240,
    )
    p.y += 8
    p.para(
        "甲乙双方本着平等互利的原则，经友好协商，就甲方委托乙方提供"
        f"{BUSINESS_TYPE_NAMES[row['business_type']]}事宜达成如下协议，以资共同遵守。",
        23,
    )
    p.line("第一条　服务内容", 24, bold=True)
    p.para(
        "乙方按本合同附件一《服务说明书》的要求提供服务，并按里程碑交付相应成果。",
        23,
    )
    p.line("第二条　合同金额及支付方式", 24, bold=True)
    p.table(
        ["里程碑", "交付内容", "支付比例", f"金额（{row['currency']}）"],
        [
            ["M1", "需求及设计文档确认", "30%", money(row["contract_amount"] * D("0.3"))],
            ["M2", "系统开发及测试完成", "40%", money(row["contract_amount"] * D("0.4"))],
            ["M3", "上线验收及运行支持", "30%", money(row["contract_amount"] * D("0.3"))],
            ["", "合计", "100%", money(row["contract_amount"])],
        ],
        [1, 3.2, 1.3, 2.2],
        21,
        46,
        align_right=(3,),
    )
    p.para(
        f"本合同总金额为{row['currency']} {money(row['contract_amount'])}（含税），"
        "甲方在每一里程碑验收后十五个工作日内付款。",
        23,
    )
    p.line("第三条　履行期限", 24, bold=True)
    start = dt.date(row["execution_date"].year, 1, 15)
    p.para(f"本合同自{start:%Y年%m月%d日}起生效，至全部服务交付并验收之日止。", 23)
    if not two_pages:
        p.line("第四条至第十二条　（保密、知识产权、违约责任、争议解决等条款略）", 23, gap=30)
        _signing_block(p, row)
        return [p.scanned(gray=row["id"] != "ct-01")]
    p.line("第四条　保密条款", 24, bold=True)
    p.para(
        "双方对在履行本合同过程中知悉的对方商业秘密负有保密义务，保密期限至相关信息公开之日止。", 23
    )
    p2 = Page(seed=seed + 1)
    p2.line("第五条至第十一条　（知识产权、验收、违约责任、不可抗力等条款略）", 23, gap=26)
    p2.line("第十二条　争议解决", 24, bold=True)
    p2.para(
        "因本合同引起的争议，双方应友好协商解决；协商不成的，提交乙方所在地有管辖权的人民法院诉讼解决。",
        23,
    )
    p2.line("第十三条　其他", 24, bold=True)
    p2.para(
        "本合同一式四份，双方各执两份，具有同等法律效力。本合同以中文和英文书就，两种文本如有不一致，以中文文本为准。",
        23,
    )
    p2.y += 40
    _signing_block(p2, row)
    return [p.scanned(gray=True), p2.scanned(gray=True)]


def _signing_block(p: Page, row: dict[str, Any]) -> None:
    top = max(p.y + 20, 1290)
    half = p.w / 2
    p.text((p.left, top), "甲方（盖章）：", 23)
    p.text((p.left, top + 70), "授权代表（签字）：", 23)
    p.text((p.left, top + 140), f"日期：{row['execution_date'].year}年01月15日", 23)
    p.text((half + 20, top), "乙方（盖章）：", 23)
    p.text((half + 20, top + 70), "授权代表（签字）：", 23)
    p.text((half + 20, top + 140), f"日期：{row['execution_date'].year}年01月15日", 23)
    p.signature(p.left + 210, top + 50, 170, 56)
    p.signature(half + 230, top + 50, 170, 56)
    client = str(row["client"])
    if re.search(r"[\u4e00-\u9fff]", client):
        p.seal(p.left + 260, top + 60, client, "合同专用章", 105)
    else:
        p.draw.rectangle(
            (p.left + 170, top + 150, p.left + 470, top + 215), outline=(40, 40, 140), width=3
        )
        p.text((p.left + 320, top + 182), client.upper(), 18, (40, 40, 140), anchor="mm")
    p.seal(half + 280, top + 60, COMPANY["name"], "合同专用章", 105)


def consulting_contract(row: dict[str, Any], seed: int) -> Image.Image:
    p = Page(seed=seed)
    consultant = "广州示范管理咨询有限公司"
    p.title(f"{row['name']}认证咨询服务合同", 40)
    p.subtitle(f"合同编号：ZX-2018-{seed:04d}（样例）", 22, 26)
    p.fields([("委托方（甲方）", COMPANY["name"]), ("咨询方（乙方）", consultant)], 24, 230)
    p.para(
        f"甲方委托乙方就{row['name']}认证提供差距分析、体系文件编写、内部培训、预评估及认证审核陪同等咨询服务。",
        24,
    )
    p.table(
        ["费用项目", "金额（元）", "支付时间"],
        [
            ["咨询服务费", money(row["cost"] * D("0.6")), "合同签订后10日内付50%，取证后付50%"],
            ["认证审核费（代收代付）", money(row["cost"] * D("0.4")), "正式审核前"],
            ["合计", money(row["cost"]), ""],
        ],
        [2.5, 1.6, 3.6],
        21,
        48,
        (1,),
    )
    p.para(
        "乙方保证咨询人员具备相应资质；因乙方原因未能在约定期限内取得证书的，乙方退还已收取的咨询服务费。其余条款略。",
        24,
    )
    p.y = max(p.y, 1300)
    _two_party_sign(
        p,
        consultant,
        f"{row['obtained_date'].year}年0{max(1, row['obtained_date'].month - 4)}月10日",
    )
    return p.scanned(gray=True)


def _two_party_sign(p: Page, other: str, date: str) -> None:
    half = p.w / 2
    top = p.y
    p.text((p.left, top), "甲方（盖章）：", 24)
    p.text((p.left, top + 80), "代表签字：", 24)
    p.text((half + 20, top), "乙方（盖章）：", 24)
    p.text((half + 20, top + 80), "代表签字：", 24)
    p.text((p.left, top + 160), f"日期：{date}", 24)
    p.text((half + 20, top + 160), f"日期：{date}", 24)
    p.signature(p.left + 130, top + 62, 160, 52)
    p.signature(half + 150, top + 62, 160, 52)
    company_seal(p, p.left + 300, top + 70, "合同专用章")
    p.seal(half + 300, top + 70, other, "合同专用章", 108)
