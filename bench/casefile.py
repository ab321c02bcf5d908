"""Benchmark: binding one 案卷 volume (caseflow.documents.binding.bind) — wall time, peak RSS, size.

The volume: `--documents` 执法文书 of 1–3 pages (the sample documents of tests/documents/
sample_data.py rendered by render_pdf, the 4-page decision left out, used in turn) and one Images
part of `--photos` photos (JPEG, 3000x2000, about 1.5 MB each: a random coarse pattern under
fine noise, so they neither compress to nothing nor are all alike), and a Listing. The inputs
are generated once into a directory under the system temp dir (`--inputs`) and reused; the first
run spends about half a minute making the photos.

Measured, each in a fresh interpreter so that ru_maxrss is the bind's and not the setup's:
  - bind: the process imports caseflow and warms WeasyPrint up (renderer.warm_up), notes its RSS,
    then binds the volume, each part's `open()` reading its file from disk as the caller's storage
    would; wall time of bind(), peak RSS (getrusage ru_maxrss), RSS before the bind, pages, size;
  - reference: the same part PDFs, the photo pages pre-rendered as the binder makes them (not
    timed), concatenated by a plain pypdf PdfWriter (`append`) into a BytesIO: what assembling
    alone costs, without opening, checking, rendering, stamping or the 目录; its peak RSS holds
    every part at once.
Each figure is printed beside its target; "OVER TARGET" marks a miss. A measurement, not a test:
the exit status is 0 whatever the figures. Needs no database:

    .venv/bin/python bench/casefile.py [--documents 40] [--photos 200] [--json out.json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)

TARGET_S = 10.0
TARGET_PEAK_MIB = 600
PHOTO_SIZE = (3000, 2000)
PHOTO_QUALITY = 90  # ≈ 1.5 MB for the pattern below
DOC_TYPES = ("penalty_notice", "hearing_rights_notice", "hearing_summons", "no_penalty_decision",
             "sealing_decision", "sealing_release", "sealing_extension", "service_receipt",
             "dunning_notice", "filing_approval", "legal_review_opinion", "closing_approval")


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_inputs(folder: Path, documents: int, photos: int) -> None:
    """The documents' PDFs and the photos, made once (kept between runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    missing_docs = [k for k in DOC_TYPES if not (folder / f"{k}.pdf").exists()]
    if missing_docs:
        from caseflow.documents.renderer import render_pdf
        from tests.documents.sample_data import sample

        for key in missing_docs:
            (folder / f"{key}.pdf").write_bytes(render_pdf(key, sample(key)))
    missing = [i for i in range(photos) if not (folder / f"photo-{i:03d}.jpg").exists()]
    if missing:
        from PIL import Image

        print(f"making {len(missing)} photos in {folder} (once) …", flush=True)
        width, height = PHOTO_SIZE
        noise = Image.effect_noise((width + 200, height + 200), 24).convert("RGB")
        for i in missing:
            rng = random.Random(i)
            coarse = Image.frombytes("RGB", (150, 100), rng.randbytes(150 * 100 * 3))
            x, y = rng.randrange(200), rng.randrange(200)
            grain = noise.crop((x, y, x + width, y + height))
            photo = Image.blend(coarse.resize(PHOTO_SIZE, Image.Resampling.BICUBIC), grain, 0.12)
            photo.save(folder / f"photo-{i:03d}.jpg", "JPEG", quality=PHOTO_QUALITY)


def volume(folder: Path, documents: int, photos: int) -> Any:
    from caseflow.documents.binding import (
        Cover, ImagePage, Images, Listing, ListingRow, Part, PdfPages, Remarks, Volume)

    def reading(path: Path) -> Any:
        return lambda: path.read_bytes()

    kinds = [DOC_TYPES[i % len(DOC_TYPES)] for i in range(documents)]
    parts = [Part(title=f"{k}（{i + 1}）", doc_no=f"栾医保〔2026〕{i + 1}号", responsible="栾川县医疗保障局",
                  day=date(2026, 8, 3), content=PdfPages(reading(folder / f"{k}.pdf")))
             for i, k in enumerate(kinds)]
    pages = tuple(ImagePage(reading(folder / f"photo-{i:03d}.jpg"),
                            f"照片{i + 1}：现场检查（拍摄人：张三、李四，2026年3月2日，康泰医院药房）")
                  for i in range(photos))
    if pages:
        parts.insert(min(3, len(parts)), Part("现场检查照片", None, "张三、李四", date(2026, 3, 2),
                                               Images(pages)))
    parts.append(Part("电子数据清单", None, "栾川县医疗保障局", date(2026, 3, 5), Listing(
        "医保结算数据", tuple(ListingRow(f"结算明细{i}.xlsx", "电子表格", 12_898_765 + i,
                                         f"{i:02x}" * 32) for i in range(12)))))
    cover = Cover("栾川县康泰医院有限公司虚构医药服务项目骗取医疗保障基金案", "栾医保罚案〔2026〕1号",
                  "栾医保罚〔2026〕1号", "栾川县医疗保障局基金监管股", date(2026, 8, 3),
                  date(2026, 12, 20), "长期", "2026-0007", "", "栾川县医疗保障局")
    return Volume(cover, tuple(parts), Remarks("本卷情况说明。", "王五", "赵六", date(2026, 12, 25)))


def child(mode: str, folder: Path, documents: int, photos: int) -> None:
    """Run in a fresh interpreter: one bind (or the reference concatenation), figures as JSON."""
    from caseflow.documents.renderer import warm_up

    warm_up()
    vol = volume(folder, documents, photos)
    before = rss_mib()
    if mode == "bind":
        from caseflow.documents.binding import bind

        t0 = time.perf_counter()
        bound = bind(vol)
        seconds = time.perf_counter() - t0
        out = {"seconds": seconds, "pages": bound.pages, "numbered": bound.numbered_pages,
               "bytes": len(bound.pdf), "unreadable": len(bound.unreadable)}
    else:
        from pypdf import PdfReader, PdfWriter

        from caseflow.documents.binding import sheets
        from caseflow.documents.binding.spec import Images, Listing, PdfPages

        pdfs: list[bytes] = []  # rendered beforehand, not timed
        for part in vol.parts:
            if isinstance(part.content, PdfPages):
                pdfs.append(part.content.open())
            elif isinstance(part.content, Listing):
                pdfs.append(sheets.listing_pdf(part.content))
            elif isinstance(part.content, Images):  # the photo pages as the binder makes them
                pics = [sheets.picture(p.open(), p.caption) for p in part.content.pages]
                for i in range(0, len(pics), 50):
                    batch = [p for p in pics[i:i + 50] if p is not None]
                    scratch = PdfWriter(clone_from=PdfReader(io.BytesIO(sheets.images_pdf(batch))))
                    sheets.put_photos(scratch.pages, batch)
                    buffer = io.BytesIO()
                    scratch.write(buffer)
                    pdfs.append(buffer.getvalue())
        before = rss_mib()
        t0 = time.perf_counter()
        writer = PdfWriter()
        for pdf in pdfs:
            writer.append(PdfReader(io.BytesIO(pdf)))
        buffer = io.BytesIO()
        writer.write(buffer)
        seconds = time.perf_counter() - t0
        out = {"seconds": seconds, "pages": len(writer.pages), "bytes": len(buffer.getvalue())}
    out["rss_before_mib"] = before
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run_child(mode: str, args: argparse.Namespace) -> dict[str, Any]:
    result = subprocess.run([sys.executable, __file__, "--child", mode, "--inputs",
                             str(args.inputs), "--documents", str(args.documents),
                             "--photos", str(args.photos)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def flag(value: float, target: float) -> str:
    return "OVER TARGET" if value > target else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=40, help="执法文书 parts (1–3 pages each)")
    ap.add_argument("--photos", type=int, default=200, help="photo pages (JPEG 3000x2000)")
    ap.add_argument("--inputs", type=Path,
                    default=Path(tempfile.gettempdir()) / "caseflow-bench-casefile",
                    help="where the generated inputs are kept between runs")
    ap.add_argument("--runs", type=int, default=1, help="binds, each in a fresh process")
    ap.add_argument("--no-reference", action="store_true", help="skip the plain pypdf reference")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--child", choices=("bind", "reference"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.inputs, args.documents, args.photos)
        return

    make_inputs(args.inputs, args.documents, args.photos)
    photo_mb = sum((args.inputs / f"photo-{i:03d}.jpg").stat().st_size
                   for i in range(args.photos)) / 1e6
    binds = [run_child("bind", args) for _ in range(args.runs)]
    reference = None if args.no_reference else run_child("reference", args)
    best = min(binds, key=lambda r: r["seconds"])
    peak = max(r["peak_mib"] for r in binds)

    print(f"案卷: {args.documents} documents (1–3 pages) + {args.photos} photos "
          f"({photo_mb:.0f} MB of JPEG) + a listing; {best['pages']} pages, "
          f"{best['numbered']} numbered; runs: {args.runs}")
    rows = [
        ("bind wall time" + (" (best)" if args.runs > 1 else ""), f"{best['seconds']:.2f} s",
         f"< {TARGET_S:.0f} s", flag(best["seconds"], TARGET_S)),
        ("  as a share of the target", f"{best['seconds'] / TARGET_S:.0%}", "", ""),
        ("peak RSS (ru_maxrss)", f"{peak:.0f} MiB", f"< {TARGET_PEAK_MIB} MiB",
         flag(peak, TARGET_PEAK_MIB)),
        ("RSS before the bind (imports, fonts)", f"{best['rss_before_mib']:.0f} MiB", "", ""),
        ("bound PDF size", f"{best['bytes'] / 2**20:.0f} MiB", "", ""),
    ]
    if args.runs > 1:
        rows.append(("bind wall times", ", ".join(f"{r['seconds']:.2f}" for r in binds) + " s",
                     "", ""))
    if reference is not None:
        rows += [
            ("reference: plain pypdf concatenation", f"{reference['seconds']:.2f} s", "", ""),
            ("  its peak RSS (parts held in memory)", f"{reference['peak_mib']:.0f} MiB", "", ""),
            ("bind / reference", f"{best['seconds'] / reference['seconds']:.1f}x", "", ""),
        ]
    for label, value, target, over in rows:
        print(f"  {label:<40} {value:>12}   {target:<12} {over}".rstrip())
    if args.json:
        args.json.write_text(json.dumps({"documents": args.documents, "photos": args.photos,
                                         "binds": binds, "reference": reference}, indent=1))


if __name__ == "__main__":
    main()
