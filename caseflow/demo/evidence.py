"""The demo case's 证据材料 beyond its two 笔录: the party's 营业执照 (a scan), the 住院病历 copied
from its records (a two-page scan as PDF) and a photo of the 医保结算 screen — drawn here with Pillow
so the demo needs no files of its own."""

from __future__ import annotations

import io
import subprocess
from functools import lru_cache

from sqlalchemy import Engine

from caseflow.cases import evidence_acts
from caseflow.db.session import unit_of_work
from caseflow.demo.walk import sh
from caseflow.org.service import get_user_by_username


@lru_cache(maxsize=1)
def _font_path() -> str | None:
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True,
                             text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out or None


def _page(lines: list[str], size: tuple[int, int] = (1240, 1754), tint: tuple[int, int, int] = (250, 249, 244)):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", size, tint)
    draw = ImageDraw.Draw(image)
    path = _font_path()
    font = ImageFont.truetype(path, 40) if path else ImageFont.load_default()
    draw.rectangle((60, 60, size[0] - 60, size[1] - 60), outline=(90, 90, 90), width=4)
    for n, line in enumerate(lines):
        draw.text((120, 140 + n * 80), line, fill=(20, 20, 20), font=font)
    return image


def _bytes(image, fmt: str, **options) -> bytes:  # noqa: ANN001 - a PIL image
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def demo_files() -> dict[str, bytes]:
    licence = _page(["营业执照（副本）", "名称：栾川县康宁医院（演示）", "统一社会信用代码：91410324MA47T3Q8WY",
                     "法定代表人：刘某", "（演示用扫描件）"])
    records = [_page([f"住院病历（复制件）第{n}页", "患者：王*梅  住院号：2026-0{n}17", "医嘱：康复理疗 每日一次",
                      "治疗记录：无执行记录", "（与原件核对无异，当事人签字确认）"]) for n in (1, 2)]
    screen = _page(["医保结算系统 — 结算明细", "康复理疗  12人次  合计30,000.00元", "（现场拍摄）"],
                   size=(1600, 1000), tint=(232, 240, 250))
    return {
        "licence": _bytes(licence, "PNG"),
        "records": _bytes(records[0], "PDF", save_all=True, append_images=records[1:], resolution=150),
        "photo": _bytes(screen, "JPEG", quality=85),
    }


def register_demo_evidence(engine: Engine, case_no: str) -> None:
    files = demo_files()
    items = [
        ({"kind": "书证", "title": "营业执照复印件", "source": "当事人提交", "obtained_by": "当事人提交",
          "collected_on": "2026-06-03", "proves": "证明当事人的主体资格"},
         [("营业执照.png", files["licence"], "营业执照副本（当事人加盖公章确认）")]),
        ({"kind": "书证", "title": "住院病历12份（复制件）", "source": "调取自栾川县康宁医院病案室", "obtained_by": "复制",
          "collected_on": "2026-06-03", "proves": "证明当事人虚构康复理疗项目并申报结算的事实"},
         [("住院病历.pdf", files["records"], None)]),
        ({"kind": "视听资料", "title": "医保结算系统页面照片", "source": "栾川县康宁医院医保办", "obtained_by": "拍照",
          "collected_on": "2026-06-03", "proves": "证明违规结算的金额"},
         [("结算页面.jpg", files["photo"], "医保结算系统结算明细页面（现场拍摄）")]),
    ]
    for payload, uploads in items:
        with unit_of_work(engine) as s:
            actor = get_user_by_username(db_session=s, username="diaocha1")
            evidence_acts.add_evidence(
                db_session=s, case_no=case_no, actor_id=actor.id, payload=payload, at=sh("2026-06-05 10:00"),
                uploads=[evidence_acts.Upload(name=n, source=io.BytesIO(b), description=d) for n, b, d in uploads])
