"""The live API docs (Scalar, Swagger UI, ReDoc), working without internet.

Their scripts and styles are served from ``/schema/assets``, vendored from the
npm packages at the versions pinned in ``scripts/vendor_docs_assets.py``
(``vendor/docs_assets/manifest.json`` records them). No page loads anything from a CDN.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import RedocRenderPlugin, ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router

from entrypoints.http.problems import docs_page_not_found

DOCS_PATH = "/schema"
ASSETS_PATH = f"{DOCS_PATH}/assets"
ASSETS_DIR = Path(__file__).parent / "vendor" / "docs_assets"
# A year: a file's name changes only with the vendored version, and the folder is rewritten then.
ASSETS_CACHE_SECONDS = 365 * 24 * 3600


def docs_assets_router() -> Router:
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[ASSETS_DIR],
        include_in_schema=False,
        cache_control=None,
        name="docs_assets",
    )


def openapi_config(*, title: str, version: str, description: str) -> OpenAPIConfig:
    no_favicon = ""  # the default points at a CDN
    return OpenAPIConfig(
        title=title,
        version=version,
        description=description,
        path=DOCS_PATH,
        openapi_router=Router(
            path=DOCS_PATH, route_handlers=[], include_in_schema=False, after_request=docs_page_not_found
        ),
        render_plugins=[
            ScalarRenderPlugin(
                js_url=f"{ASSETS_PATH}/scalar/standalone.js",
                css_url=f"{ASSETS_PATH}/scalar/style.css",
                favicon=no_favicon,
            ),
            SwaggerRenderPlugin(
                js_url=f"{ASSETS_PATH}/swagger-ui/swagger-ui-bundle.js",
                css_url=f"{ASSETS_PATH}/swagger-ui/swagger-ui.css",
                standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui/swagger-ui-standalone-preset.js",
                favicon=no_favicon,
            ),
            RedocRenderPlugin(
                js_url=f"{ASSETS_PATH}/redoc/redoc.standalone.js",
                google_fonts=False,
                favicon=no_favicon,
            ),
        ],
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="JWT",
                    description="The access_token from POST /api/v1/auth/login",
                )
            }
        ),
    )
