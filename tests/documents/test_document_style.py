"""The agency's document style (`AgencySettings.documents`): the 成文日期 in Chinese or Arabic numerals,
the body and title fonts ("auto" or a family the agency names, Noto Serif CJK SC when it is not
installed), paragraphs justified or not, and 文号 cited in running text kept on one line.

The style travels in the document's data (`data["agency"]["documents"]`), as the data built from a
case carries the agency's other settings. PDF text is read back with pypdf, compared with all
whitespace removed (line breaks fall anywhere) unless the line breaks are the point.
"""

from __future__ import annotations

import io
import re
import shutil
from datetime import date
from typing import Any

import pytest
import tinycss2
from markupsafe import Markup
from pypdf import PdfReader

from caseflow.documents import renderer
from caseflow.documents.formatting import date_signed, keep_doc_nos
from caseflow.documents.renderer import document_css, font_warning, render_html, render_pdf
from caseflow.errors import InvalidInput
from caseflow.org.settings import DocumentStyle, read_settings
from tests.documents.sample_data import sample

SIGNED_ON = date(2026, 12, 5)
AGENCY = "栾川县医疗保障局"
NOTO = "notoserifcjksc"  # folded as fontconfig compares family names


def _decision(**style: Any) -> dict[str, Any]:
    data = sample("penalty_decision")
    data["issued_on"] = SIGNED_ON
    if style:
        data["agency"]["documents"] = style
    return data


def _pdf_lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [line for page in reader.pages for line in page.extract_text().splitlines()]


def _pdf_text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(_pdf_lines(pdf)))


def _style_sheets(html: str) -> str:
    return "\n".join(re.findall(r"<style>(.*?)</style>", html, flags=re.S))


def _declarations(css: str, selector: str, prop: str) -> list[str]:
    """The values `prop` takes in the rules whose selector is exactly `selector`, in order."""
    values = []
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() != selector:
            continue
        for decl in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True):
            if decl.type == "declaration" and decl.lower_name == prop:
                values.append(tinycss2.serialize(decl.value).strip())
    return values


# ── 成文日期 ─────────────────────────────────────────────────────────────


def test_signature_date_in_arabic_numerals():
    text = _pdf_text(render_pdf("penalty_decision", _decision(date_numerals="arabic")))
    assert AGENCY + "2026年12月5日" in text
    assert "二〇二六" not in text


@pytest.mark.parametrize("style", [{"date_numerals": "chinese"}, {}], ids=["chinese", "default"])
def test_signature_date_in_chinese_numerals(style: dict[str, Any]):
    text = _pdf_text(render_pdf("penalty_decision", _decision(**style)))
    assert AGENCY + "二〇二六年十二月五日" in text
    assert "2026年12月5日" not in text


def test_date_signed_takes_the_numerals_setting():
    assert date_signed(SIGNED_ON) == "二〇二六年十二月五日"
    assert date_signed(SIGNED_ON, "arabic") == "2026年12月5日"
    with pytest.raises(ValueError, match="成文日期"):
        date_signed(SIGNED_ON, "roman")


def test_numerals_setting_other_than_the_two_is_refused_in_chinese():
    with pytest.raises(InvalidInput) as caught:
        read_settings({"documents": {"date_numerals": "roman"}})
    assert "阿拉伯数字" in caught.value.details["documents.date_numerals"]


def test_defaults_are_the_documents_as_they_were():
    style = read_settings({}).documents
    assert style == DocumentStyle(body_font="auto", title_font="auto", date_numerals="chinese",
                                  justify=True)


# ── Fonts ───────────────────────────────────────────────────────────────


@pytest.fixture
def fonts(monkeypatch: pytest.MonkeyPatch):
    """Pretend the machine has exactly these families (None: no fontconfig)."""
    def install(*families: str | None) -> None:
        names = [f for f in families if f is not None]
        listed = None if families == (None,) else frozenset(renderer._fold(f) for f in names)
        monkeypatch.setattr(renderer, "installed_families", lambda: listed)
    return install


def test_named_font_not_installed_renders_with_the_fallback_and_warns(fonts):
    fonts("Noto Serif CJK SC", "DejaVu Serif")
    data = _decision(body_font="方正仿宋_GBK")
    css = _style_sheets(render_html("penalty_decision", data))
    assert _declarations(css, "html", "font-family")[-1] == '"Noto Serif CJK SC", serif'
    assert AGENCY + "二〇二六年十二月五日" in _pdf_text(render_pdf("penalty_decision", data))
    settings = read_settings({"documents": {"body_font": "方正仿宋_GBK"}})
    assert font_warning(settings) == "本机未安装字体「方正仿宋_GBK」，文书正文将使用 Noto Serif CJK SC。"


def test_one_missing_font_named_for_body_and_titles_is_one_warning(fonts):
    fonts("Noto Serif CJK SC")
    style = DocumentStyle(body_font="方正仿宋_GBK", title_font="方正仿宋_GBK")
    assert font_warning(style) == "本机未安装字体「方正仿宋_GBK」，文书正文和标题将使用 Noto Serif CJK SC。"


def test_named_font_installed_comes_first_and_no_warning(fonts):
    fonts("Noto Serif CJK SC", "FZFangSong-Z02", "方正仿宋_GBK")
    # fontconfig ignores case and blanks in family names: so does the check
    style = DocumentStyle(body_font="方正仿宋_GBK", title_font="fzfangsong-z02")
    css = document_css(style)
    assert _declarations(css, "html", "font-family") == ['"方正仿宋_GBK", "Noto Serif CJK SC", serif']
    assert _declarations(css, ".agency-heading, .doc-title, .annex-title", "font-family") == [
        '"fzfangsong-z02", "Noto Serif CJK SC", serif']
    assert font_warning(style) is None


def test_auto_takes_the_first_usual_face_installed(fonts):
    fonts("Noto Serif CJK SC", "FangSong", "华文仿宋", "STZhongsong")
    css = document_css(DocumentStyle())
    assert _declarations(css, "html", "font-family") == ['"FangSong", "Noto Serif CJK SC", serif']
    assert _declarations(css, ".agency-heading, .doc-title, .annex-title", "font-family") == [
        '"STZhongsong", "Noto Serif CJK SC", serif']
    assert font_warning(DocumentStyle()) is None


def test_auto_without_any_usual_face_is_noto(fonts):
    fonts("Noto Serif CJK SC", "DejaVu Serif")
    css = document_css(DocumentStyle())
    assert _declarations(css, "html", "font-family") == ['"Noto Serif CJK SC", serif']
    assert _declarations(css, ".agency-heading, .doc-title, .annex-title", "font-family") == [
        '"Noto Serif CJK SC", serif']


def test_without_fontconfig_auto_is_noto_and_a_named_font_is_tried_with_a_warning(fonts):
    fonts(None)
    css = document_css(DocumentStyle())
    assert _declarations(css, "html", "font-family") == ['"Noto Serif CJK SC", serif']
    style = DocumentStyle(body_font="方正仿宋_GBK")
    assert _declarations(document_css(style), "html", "font-family") == [
        '"方正仿宋_GBK", "Noto Serif CJK SC", serif']
    warning = font_warning(style)
    assert warning is not None and "无法检查本机是否安装字体「方正仿宋_GBK」" in warning


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list not installed")
def test_fontconfig_lists_the_fallback_face():
    renderer.installed_families.cache_clear()
    listed = renderer.installed_families()
    assert listed is not None and NOTO in listed


REFUSED_NAMES = ['仿宋"', "FangSong'", "a;b", "x{y}", "</style>", "a\\b", "仿\n宋", " ", "宋" * 61]


@pytest.mark.parametrize("name", REFUSED_NAMES)
def test_a_family_name_that_could_break_the_stylesheet_is_refused_in_chinese(name: str):
    with pytest.raises(InvalidInput) as caught:
        read_settings({"documents": {"body_font": name}})
    assert caught.value.code == "AGENCY_SETTINGS_INVALID"
    assert caught.value.details["documents.body_font"].startswith("字体名称不能")


def test_family_names_are_trimmed_and_auto_is_any_case():
    raw = {"documents": {"body_font": " 方正仿宋_GBK ", "title_font": "AUTO"}}
    style = read_settings(raw).documents
    assert (style.body_font, style.title_font) == ("方正仿宋_GBK", "auto")


# ── 两端对齐 ─────────────────────────────────────────────────────────────


def test_justify_off_leaves_no_justify_for_paragraphs():
    css = _style_sheets(render_html("penalty_decision", _decision(justify=False)))
    values = _declarations(css, "p", "text-align")
    assert values[-1] == "left"  # the agency's sheet comes last: it is what WeasyPrint applies
    # the only justify left is document.css's default, which the agency's rule overrides
    assert values[:-1] == ["justify"] and css.count("justify") == 1


def test_justify_on_by_default():
    css = _style_sheets(render_html("penalty_decision", _decision()))
    assert _declarations(css, "p", "text-align")[-1] == "justify"


# ── 文号 never broken across lines ─────────────────────────────────────


def test_keep_doc_nos_wraps_each_number_and_escapes_the_rest():
    text = "已送达《告知书》（栾医保罚告〔2026〕3号）<b>，〔2025〕第12号、栾医保罚案〔2026〕1号"
    assert keep_doc_nos(text) == (
        '已送达《告知书》（<span class="nobr">栾医保罚告〔2026〕3号</span>）&lt;b&gt;，'
        '<span class="nobr">〔2025〕第12号</span>、<span class="nobr">栾医保罚案〔2026〕1号</span>')
    # The 机关代字 is not known: up to 8 letters before 〔 are kept with the number.
    assert keep_doc_nos("本机关作出的栾医保罚决〔2026〕3号") == (
        '本机关<span class="nobr">作出的栾医保罚决〔2026〕3号</span>')
    assert keep_doc_nos("没有文号") == "没有文号"
    already = Markup('<span class="nobr">栾医保罚告〔2026〕3号</span>')
    assert keep_doc_nos(already) is already


def test_doc_no_cited_in_running_text_stays_on_one_line():
    """Paragraphs of the 决定书 go through the `paras` macro. Each cites a 文号 one character further
    along its line, so across them the 文号 meets every place a line can end; the same text with
    （2026） instead of 〔2026〕 is no 文号 and, as the control, is broken somewhere."""
    cited = "栾医保罚告〔2026〕3号"
    control = cited.replace("〔", "（").replace("〕", "）")
    lines = [f"{'甲' * pad}本机关已于2026年10月12日送达《行政处罚事先告知书》（{no}）。"
             for pad in range(28) for no in (cited, control)]
    data = _decision()
    del data["procedure"]  # cites the same 文号, outside `paras`
    data["facts"] = "\n".join(lines) + "\n" + data["facts"]
    pdf_lines = _pdf_lines(render_pdf("penalty_decision", data))
    assert sum(cited in line for line in pdf_lines) == 28
    assert sum(control in line for line in pdf_lines) < 28
