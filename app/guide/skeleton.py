"""The commented skeleton ``guide new`` writes: a complete, loadable guide file in Chinese with
one item of each common shape, to be filled in from the guide's text."""

from __future__ import annotations

SKELETON = """\
# ============================================================================================
# 申报指南文件（由“guide new”命令生成的骨架，请按指南原文逐项修改）
#
# 编写说明：docs/指南文件编写说明.md。改完后运行：
#   python main.py guide check 本文件     —— 一次列出所有错误（带行号）
#   python main.py guide test 本文件      —— 运行文件末尾的测试用例
#
# 写法要点：
#   · 以 # 开头的是注释，程序不读；
#   · 文字加英文双引号："香洲区"；数字直接写，不带单位：5万元 写作 50000；
#   · 日期写成 @YEAR@-03-31；是/否写 true / false（不加引号）；
#   · 标点一律用英文半角：" = , [ ] { }；
#   · 凡是“【请填写】”的地方，都要换成指南原文。
# ============================================================================================

format = 1                                  # 文件格式版本，固定为 1
id = "my-guide-@YEAR@"                      # 指南编号（英文、数字、-），每份指南不同，发布后不再改
year = @YEAR@                               # 指南年度
title = "【请填写】@YEAR@年……申报指南"         # 指南全称（开始页、目录）
short_title = "【请填写】@YEAR@年……"          # 简称
document_no = ""                            # 文号，如 "珠商〔@YEAR@〕28号"；没有则留空
issuer = "【请填写】珠海市商务局"              # 发文单位
form_title = "【请填写】@YEAR@年……申请表"      # 申请表标题
packet_title = "【请填写】@YEAR@年……申报材料"  # 封面标题
period_start = @LAST@-01-01                  # 支持期间：开始日期
period_end = @LAST@-12-31                    # 支持期间：结束日期
districts = ["香洲区", "金湾区", "斗门区"]      # 企业可选的所在区
district_other = "其他"                      # 可自填的区；不需要则删去这一行
base_documents = ["application_form", "business_license"]  # 每份申报材料都有的材料，按顺序
declaration = "【请填写】本单位承诺：所提交的申报材料全部真实、准确、完整。"  # 申请表上的声明
notes = [                                   # 申报材料要求（输出页显示）
  "【请填写】所有申报材料须统一使用A4规格纸打印，并按顺序编制目录，加封面后装订成册。",
]

# ---- 截止日期：开始页显示剩余天数 ------------------------------------------------------------
[[deadlines]]
id = "final_submission"
date = @YEAR@-03-31
title = "【请填写】正式申报截止"
detail = "【请填写】递交什么、交到哪里"

# ---- 申请对象和条件：企业须确认 --------------------------------------------------------------
[[conditions]]
id = "registered_here"
text = "【请填写】在本市依法注册、具有独立法人资格的企业。"
document = "business_license"                # 证明这一条件的材料（可省略）

# ---- 币种和默认汇率（上一年末《各种货币对美元折算率表》）：须有 USD 和 CNY --------------------------
[[currencies]]
code = "USD"
name = "美元"
per_usd = "1"

[[currencies]]
code = "CNY"
name = "人民币"
per_usd = "7.0"                               # 【请核对】1 美元合多少人民币

# ---- 表：企业逐行填写的明细（合同、人员、证书……） ----------------------------------------------
[tables.contracts]
title = "合同明细"
sheet = "合同明细表"                           # Excel 工作表名和打印的表名
row_label = "name"                           # 哪一列是每行的名称
columns = [
  { id = "name", label = "合同名称", type = "text" },
  { id = "currency", label = "币种", type = "currency", default = "USD" },
  { id = "amount", label = "执行金额", type = "money", currency_field = "currency" },
  { id = "signed_date", label = "执行日期", type = "date" },
]

# ---- 计算项：条件和上限用到的数字 -------------------------------------------------------------
[measures.contract_total_usd]
label = "执行金额合计"
kind = "sum"                                  # sum 求和、count 计数、field 取项目的一个输入
table = "contracts"
column = "amount"
unit = "USD"                                  # 换算成美元
period_column = "signed_date"                 # 只计支持期间内的行

# ---- 材料 ----------------------------------------------------------------------------------
[documents.application_form]
title = "申请表"
kind = "generated"                            # 程序生成
generator = "application_form"
original = true

[documents.business_license]
title = "营业执照（复印件）"
kind = "scan"                                 # 企业上传扫描件
copy_of_original = true                       # 递交时携带原件核对

[documents.contract_list]
title = "合同明细表"
kind = "generated"
generator = "table:contracts"

[documents.contracts]
title = "合同（复印件）"
kind = "scan"
per_row = true                                # 每行（每份合同）一套

# ---- 申报项目，按指南顺序 ----------------------------------------------------------------------
[[items]]
id = "example_item"                           # 项目编号（英文、数字、_）
number = "（一）"
title = "【请填写】项目名称"
category = "【请填写】同类项目的名称"
summary = "【请填写】一句话说明支持谁、支持多少"
table = "contracts"
documents = ["contract_list", "contracts"]
inputs = [
  { id = "reported", label = "已在平台填报数据", type = "bool" },
]
conditions = [
  { field = "reported", op = "==", value = true, reason = "【请填写】未在平台填报数据。" },
  { measure = "contract_total_usd", op = ">=", value = 1000000, reason = "执行金额 {actual} 美元，未达到100万美元（含）。" },
]
# 上限：fixed 定额；tiers 分档 [[下限（含）, 金额], ...]；share 按比例；per_row 按行
ceiling = { kind = "tiers", measure = "contract_total_usd", tiers = [[1000000, 50000], [5000000, 100000]] }

# ============================================================================================
# 测试用例（guide test 运行）：每个边界写三例——刚好不到、恰好达到、刚刚超过
# ============================================================================================
[[tests]]
name = "执行金额 999,999.99 美元：不到100万，不符合"
inputs = { example_item = { reported = true } }
expect = { example_item = { eligible = false, ceiling = 0 } }
blocking = ["item.ineligible"]
[tests.rows]
contracts = [
  { name = "合同一", currency = "USD", amount = "999999.99", signed_date = @LAST@-06-30 },
]

[[tests]]
name = "执行金额恰为100万美元（含）：第一档 5 万元"
inputs = { example_item = { reported = true } }
expect = { example_item = { eligible = true, ceiling = 50000 } }
blocking = []
[tests.rows]
contracts = [
  { name = "合同一", currency = "USD", amount = 1000000, signed_date = @LAST@-06-30 },
]
"""


def skeleton(year: int) -> str:
    """The skeleton for a guide of ``year`` (its support period the year before)."""
    return SKELETON.replace("@YEAR@", str(year)).replace("@LAST@", str(year - 1))
