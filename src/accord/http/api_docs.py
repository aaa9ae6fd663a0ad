"""The interactive API docs at /schema: Swagger UI, its files served by Accord from the pinned `swagger-ui-py`
package (with Swagger UI's licence, at /schema/assets/LICENSE), so the page works offline and never changes
under us the way a CDN's `@latest` can."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from litestar import Router
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

from accord.tenancy.middleware import PUBLIC_OPT_KEY

SCHEMA_PATH = "/schema"
ASSETS_PATH = f"{SCHEMA_PATH}/assets"


def swagger_ui_directory() -> Path:
    """Where the installed `swagger-ui-py` keeps Swagger UI's dist files (found without importing the package,
    which would pull in its web-framework adapters)."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed; run `make install`")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def swagger_render_plugin() -> SwaggerRenderPlugin:
    return SwaggerRenderPlugin(
        path="/",
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
    )


def swagger_assets_router() -> Router:
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[swagger_ui_directory()],
        name="swagger-ui-assets",
        include_in_schema=False,
        opt={PUBLIC_OPT_KEY: True},
    )
