"""The catalog service: loading workflows/catalog/, finding items, snapshots for cases."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from caseflow.catalog.files import read_list
from caseflow.catalog.model import CatalogItem
from caseflow.config import get_settings
from caseflow.errors import DefinitionError, NotFound


@dataclass(frozen=True)
class Catalog:
    items: dict[str, CatalogItem]

    def item(self, key: str) -> CatalogItem:
        try:
            return self.items[key]
        except KeyError:
            raise NotFound(f"事项目录中没有编号为「{key}」的事项。") from None

    def search(self, text: str = "", *, agency: str | None = None) -> list[CatalogItem]:
        return [
            i for i in self.items.values()
            if (not text or text in i.name or text == i.key) and (agency is None or i.agency == agency)
        ]


def load_catalog(directory: Path) -> Catalog:
    items: dict[str, CatalogItem] = {}
    for path in sorted(directory.glob("list-*.yaml")):
        for item in read_list(path):
            if item.key in items:
                raise DefinitionError(f"事项编号「{item.key}」重复（{path.name}）。")
            items[item.key] = item
    return Catalog(items)


@lru_cache(maxsize=4)
def _catalog_at(directory: str) -> Catalog:
    return load_catalog(Path(directory))


def get_catalog() -> Catalog:
    return _catalog_at(str(get_settings().workflows_dir / "catalog"))
