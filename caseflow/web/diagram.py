"""The procedure diagram: states and steps drawn by graphviz `dot` as inline SVG, the case's
current state highlighted; cached per (procedure, version, state). Without `dot`: None."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from functools import lru_cache

from caseflow.workflow.registry import get_library

log = logging.getLogger("caseflow.web")
FONT = "Noto Sans CJK SC"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_source(code: str, version: int, current: str) -> str:
    proc = get_library().procedure(code, version)
    lines = [
        "digraph G {", "rankdir=TB; nodesep=0.2; ranksep=0.22; bgcolor=transparent;",
        f'node [shape=box style="rounded,filled" fillcolor="#ffffff" color="#8a94a6" '
        f'fontname={_q(FONT)} fontsize=11 height=0.3 margin="0.12,0.04"];',
        f'edge [color="#9aa4b5" fontname={_q(FONT)} fontsize=9 fontcolor="#4a5568" arrowsize=0.6];',
    ]
    wide = side_steps(code, version)
    hidden = {t.dest for t in proc.transitions if t.trigger in wide} - {current}
    hidden -= {t.dest for t in proc.transitions if t.trigger not in wide}
    for st in proc.states.values():
        if st.code in hidden:
            continue
        attrs = [f"label={_q(st.name)}", f"id={_q('state-' + st.code)}"]
        if st.code == current:
            attrs += ['fillcolor="#1f6feb"', 'fontcolor="#ffffff"', 'color="#1f6feb"', "penwidth=2"]
        elif st.final:
            attrs += ['fillcolor="#eef1f5"']
        lines.append(f"{_q(st.code)} [{' '.join(attrs)}];")
    wide = side_steps(code, version)
    edges: dict[tuple[str, str], list[str]] = {}
    for t in proc.transitions:
        if t.trigger in wide:
            continue
        for src in t.sources:
            names = edges.setdefault((src, t.dest), [])
            if t.name not in names:
                names.append(t.name)
    for (src, dest), names in edges.items():
        if src in hidden or dest in hidden:
            continue
        hot = ' color="#1f6feb" penwidth=1.8' if src == current else ""
        lines.append(f"{_q(src)} -> {_q(dest)} [tooltip={_q('、'.join(names))}{hot}];")
    lines.append("}")
    return "\n".join(lines)


@lru_cache(maxsize=16)
def side_steps(code: str, version: int) -> dict[str, str]:
    """Steps open from many states (中止, 恢复, 终结, 移送, 撤销立案): listed beside the diagram
    rather than drawn, {trigger: name}."""
    proc = get_library().procedure(code, version)
    sources: dict[str, set[str]] = {}
    for t in proc.transitions:
        sources.setdefault(t.trigger, set()).update(t.sources)
    return {t.trigger: t.name for t in proc.transitions if len(sources[t.trigger]) > 3}


@lru_cache(maxsize=256)
def procedure_svg(code: str, version: int, current: str) -> str | None:
    dot = shutil.which("dot")
    if dot is None:
        return None
    try:
        out = subprocess.run([dot, "-Tsvg"], input=dot_source(code, version, current).encode(),
                             capture_output=True, timeout=20, check=True).stdout.decode()
    except (subprocess.SubprocessError, OSError) as exc:
        log.warning("流程图生成失败：%s", exc)
        return None
    svg = out[out.find("<svg"):]
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S)
