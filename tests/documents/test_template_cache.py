"""The cache of compiled document templates (issue 20): a template changed, a filter changed, a folder
that cannot be written or a damaged cache file never give a wrong or failed document — at worst the
template is compiled again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from caseflow.config import get_settings
from caseflow.documents import renderer
from tests.documents.sample_data import keys, sample


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings read afresh from the environment the test sets."""
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def _render(templates: Path, cache: Path, name: str = "t.html",
            filters: dict[str, Callable[..., Any]] | None = None) -> str:
    """A fresh environment, as a new process has one, over `templates` with the cache in `cache`."""
    env = Environment(loader=FileSystemLoader(templates),
                      bytecode_cache=renderer._TemplateCache(str(cache), "__test_%s.cache"))
    env.filters.update({k: renderer._at_render_time(f) for k, f in (filters or {}).items()})
    return env.get_template(name).render(who="甲")


def test_the_cache_is_used_and_a_changed_template_compiled_again(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    cache.mkdir()
    (templates / "t.html").write_text("你好，{{ who }}", encoding="utf-8")
    assert _render(templates, cache) == "你好，甲"
    assert len(list(cache.glob("__test_*.cache"))) == 1
    (templates / "t.html").write_text("再见，{{ who }}", encoding="utf-8")
    assert _render(templates, cache) == "再见，甲"


def test_a_filter_runs_when_rendering_not_when_compiling(tmp_path: Path) -> None:
    """Jinja folds a plain filter on constants into the compiled code; the cache would then keep
    the old filter's result after its code changed. Ours run at render time only."""
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    cache.mkdir()
    (templates / "t.html").write_text("{{ 3 | numeral }}", encoding="utf-8")
    assert _render(templates, cache, filters={"numeral": lambda n: "三"}) == "三"
    assert _render(templates, cache, filters={"numeral": lambda n: "叁"}) == "叁"


def test_a_damaged_cache_file_is_compiled_again(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    cache.mkdir()
    (templates / "t.html").write_text("你好，{{ who }}", encoding="utf-8")
    _render(templates, cache)
    for path in cache.glob("__test_*.cache"):
        path.write_bytes(path.read_bytes()[:40])  # the header kept, the code cut off
    assert _render(templates, cache) == "你好，甲"
    for path in cache.glob("__test_*.cache"):
        path.write_bytes(b"not a cache file")
    assert _render(templates, cache) == "你好，甲"


def test_a_folder_that_cannot_be_written_only_means_compiling(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.html").write_text("你好，{{ who }}", encoding="utf-8")
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")  # writing into it fails whoever runs the test (root included)
    assert _render(templates, not_a_folder) == "你好，甲"


def test_the_settings_name_the_folder_or_turn_the_cache_off(
        settings_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "compiled" / "templates"
    settings_env.setenv("CASEFLOW_TEMPLATE_CACHE_DIR", str(folder))
    cache = renderer._bytecode_cache()
    assert isinstance(cache, renderer._TemplateCache) and folder.is_dir()

    blocked = tmp_path / "file"
    blocked.write_text("")
    settings_env.setenv("CASEFLOW_TEMPLATE_CACHE_DIR", str(blocked / "templates"))
    get_settings.cache_clear()
    assert renderer._bytecode_cache() is None  # no folder can be made there: compiled each time

    settings_env.setenv("CASEFLOW_TEMPLATE_CACHE", "false")
    get_settings.cache_clear()
    assert renderer._bytecode_cache() is None


def test_documents_render_alike_with_and_without_the_cache(
        settings_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The HTML of every sample document is the same compiled afresh, compiled into the cache,
    and loaded from it."""
    def pages() -> list[str]:
        get_settings.cache_clear()
        renderer._environment.cache_clear()
        return [renderer.render_html(key, sample(key)) for key in keys()]

    try:
        settings_env.setenv("CASEFLOW_TEMPLATE_CACHE", "false")
        plain = pages()
        settings_env.setenv("CASEFLOW_TEMPLATE_CACHE", "true")
        settings_env.setenv("CASEFLOW_TEMPLATE_CACHE_DIR", str(tmp_path / "cache"))
        assert pages() == plain  # compiled, written to the cache
        assert list((tmp_path / "cache").glob("__caseflow_*.cache"))
        assert pages() == plain  # loaded from it
    finally:
        renderer._environment.cache_clear()
