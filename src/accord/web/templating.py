"""Jinja2 templates for the pages, with `viewer` and `csrf_token` in every template's context.

A page handler returns `Template(template_name="pages/x.html", context={...})`; the engine adds the
logged-in `viewer` (None on the login pages) and the `csrf_token` every form must carry, both read from
the scope state the session middleware filled, so no handler can forget them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState

from accord.web.viewer import VIEWER_STATE_KEY

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


class _PageTemplate:
    def __init__(self, template: Any) -> None:
        self._template = template

    def render(self, *args: Any, **context: Any) -> str:
        request = context.get("request")
        scope: Mapping[str, Any] = request.scope if request is not None else {}
        context.setdefault("viewer", scope.get("state", {}).get(VIEWER_STATE_KEY))
        context.setdefault("csrf_token", value_or_default(ScopeState.from_scope(scope).csrf_token, "") if scope else "")  # type: ignore[arg-type]
        return str(self._template.render(*args, **context))


class PageTemplateEngine(JinjaTemplateEngine):
    def get_template(self, template_name: str) -> Any:
        return _PageTemplate(super().get_template(template_name))


def template_config() -> TemplateConfig[PageTemplateEngine]:
    # StrictUndefined: a misspelt variable fails the page test instead of rendering as an empty string.
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return TemplateConfig(instance=PageTemplateEngine(engine_instance=environment))
