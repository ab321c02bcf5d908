"""WeasyPrint subsets the embedded CJK fonts with HarfBuzz, not with its slow fontTools fallback.

WeasyPrint 70 decides in `Font.subset` (weasyprint/pdf/fonts.py): it uses hb-subset when
weasyprint.text.ffi could dlopen libharfbuzz-subset (`harfbuzz_subset` is not None) and HarfBuzz is
at least 4.1.0; otherwise it logs a warning and subsets with fontTools, which takes ~12 s per
document with Noto Serif CJK SC instead of ~0.2 s. Nothing else fails then — documents just get
slow — so these tests make the missing system package visible.
"""

from __future__ import annotations

import logging
import time

import pytest

from caseflow.documents.renderer import render_pdf
from tests.documents.sample_data import sample

INSTALL = ("WeasyPrint cannot use libharfbuzz-subset, so it subsets the CJK fonts with fontTools "
           "(~12 s per document instead of ~0.2 s): apt-get install libharfbuzz-subset0")


def test_weasyprint_uses_harfbuzz_subset():
    from weasyprint.pdf import fonts  # the module whose Font.subset chooses the path

    assert fonts.harfbuzz_subset is not None, INSTALL
    assert fonts.harfbuzz.hb_version_atleast(4, 1, 0), (
        "HarfBuzz is older than 4.1.0, so WeasyPrint subsets with fontTools: upgrade libharfbuzz0b "
        "and apt-get install libharfbuzz-subset0")
    for name in ("hb_subset_input_create_or_fail", "hb_subset_or_fail", "hb_subset_input_set"):
        assert getattr(fonts.harfbuzz_subset, name, None) is not None, f"{name} missing: {INSTALL}"


def test_a_one_page_document_renders_in_seconds(caplog: pytest.LogCaptureFixture):
    import weasyprint  # noqa: F401 - the import (~1 s) is not what is timed

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        start = time.perf_counter()
        render_pdf("service_receipt", sample("service_receipt"))  # 送达回证: one page
        seconds = time.perf_counter() - start
    assert not [r for r in caplog.records if "fontTools" in r.getMessage()], INSTALL
    assert seconds < 3, f"one page in {seconds:.1f} s (HarfBuzz ~0.3, fontTools ~12): {INSTALL}"
