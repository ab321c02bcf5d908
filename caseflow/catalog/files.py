"""Reading and writing the catalog files in workflows/catalog/ (YAML a lawyer can review).

One file per published list (`list-004.yaml` …) holding its items in published order; long texts
are written as literal blocks so they read as in the list. `overlay.yaml` holds the few hand edits,
each with the reason, applied on top of what the importer produced.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from caseflow.catalog.importer.serialise import from_dict, to_dict
from caseflow.catalog.model import CatalogItem
from caseflow.errors import DefinitionError

HEADER = (
    "# 由 `caseflow catalog import` 从已公布的权责清单生成；请勿手工修改本文件。\n"
    "# 人工更正写在 overlay.yaml（每条须写明理由），测试会从种子清单重新生成并比对。\n"
)


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def list_file_name(item: CatalogItem) -> str:
    return f"list-{item.key.split('-')[0]}.yaml"


def _readable(d: dict[str, Any]) -> dict[str, Any]:
    """Options without their empty fields: a reviewer reads only what the article says."""
    for basis in d.get("bases", []):
        basis["options"] = [{k: v for k, v in o.items() if v is not None} for o in basis["options"]]
    return d


def dump_items(items: list[CatalogItem], source_file: str) -> str:
    body = {"source": source_file, "items": [_readable(to_dict(i)) for i in items]}
    return HEADER + yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def write_list(items: list[CatalogItem], out_dir: Path) -> Path:
    if not items:
        raise DefinitionError("清单中没有行政处罚或行政强制事项。")
    path = out_dir / list_file_name(items[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_items(items, items[0].source_file), encoding="utf-8")
    return path


def read_list(path: Path) -> list[CatalogItem]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [from_dict(d) for d in raw["items"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise DefinitionError(f"无法读取事项目录文件 {path.name}：{exc}") from exc


def canonical_json(item: CatalogItem) -> str:
    return json.dumps(to_dict(item), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def item_hash(item: CatalogItem) -> str:
    """SHA-256 of the entry's canonical JSON: the version a case records."""
    return hashlib.sha256(canonical_json(item).encode("utf-8")).hexdigest()


def entry_snapshot(item: CatalogItem) -> dict[str, Any]:
    return json.loads(canonical_json(item))
