"""The one place where services meet their collaborators: a service takes what it works with as constructor
arguments and never builds another slice's service itself, so who calls whom is read here, and a slice never
imports one above it to build it (recording needs contracts and similarity, which both read interactions).

The builders serve the HTTP providers below, the Pact adapter, the dashboard and tests alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import get_type_hints

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from accord.api_keys.repository import ApiKeyRepository
from accord.api_keys.service import ApiKeyService
from accord.audit.repository import AuditRepository
from accord.audit.service import AuditService
from accord.badge_tokens.repository import BadgeTokenRepository
from accord.badge_tokens.service import BadgeTokenService
from accord.catalog.directory import ServiceDirectory
from accord.catalog.removal import CatalogRemoval
from accord.catalog.service import ServiceCatalog
from accord.catalog.version_history import VersionHistory
from accord.catalog.version_labels import VersionLabels
from accord.compatibility.service import StaticCheckService
from accord.contracts.document_publisher import DocumentPublisher
from accord.contracts.document_reader import DocumentReader
from accord.contracts.following import ContractFollower
from accord.contracts.integrations import IntegrationService
from accord.contracts.service import ContractService
from accord.deployments.service import PresenceService
from accord.environments.service import EnvironmentService
from accord.fixtures.review import FixtureReview
from accord.fixtures.service import FixtureService
from accord.interactions.service import InteractionService
from accord.matrix.contract_status import ContractStatusService
from accord.matrix.deployability import DeployabilityService
from accord.matrix.query_service import MatrixQueryService
from accord.matrix.service import MatrixService
from accord.mock.service import MockService
from accord.similarity.repository import InteractionNeighbourRepository
from accord.similarity.service import SimilarityService
from accord.spec_diff.service import SpecDiffService
from accord.specs.service import SpecService
from accord.tenant_ids import TenantId
from accord.verification.provider_states import ProviderStateService
from accord.verification.selection import ContractSelection
from accord.verification.service import VerificationService
from accord.webhooks.policy import DeliveryPolicy
from accord.webhooks.service import WebhookService


def service_catalog(tenant: TenantId) -> ServiceCatalog:
    return ServiceCatalog(tenant)


def catalog_removal(tenant: TenantId) -> CatalogRemoval:
    return CatalogRemoval(ServiceCatalog(tenant), pending=ContractFollower(tenant))


def environment_service(tenant: TenantId) -> EnvironmentService:
    return EnvironmentService(tenant)


def presence_service(tenant: TenantId) -> PresenceService:
    return PresenceService(tenant, catalog=ServiceCatalog(tenant), environments=EnvironmentService(tenant))


def spec_service(tenant: TenantId) -> SpecService:
    return SpecService(tenant, catalog=ServiceCatalog(tenant))


def fixture_service(tenant: TenantId) -> FixtureService:
    return FixtureService(tenant, catalog=ServiceCatalog(tenant))


def verification_service(tenant: TenantId) -> VerificationService:
    return VerificationService(tenant, catalog=ServiceCatalog(tenant))


def static_check_service(tenant: TenantId) -> StaticCheckService:
    return StaticCheckService(tenant, catalog=ServiceCatalog(tenant))


def interaction_service(
    tenant: TenantId, *, follower: ContractFollower | None = None, batch_near_duplicates: bool = True
) -> InteractionService:
    return InteractionService(
        tenant,
        catalog=ServiceCatalog(tenant),
        environments=EnvironmentService(tenant),
        specs=spec_service(tenant),
        contracts=follower or ContractFollower(tenant),
        neighbours=InteractionNeighbourRepository(tenant),
        batch_near_duplicates=batch_near_duplicates,
    )


def contract_service(tenant: TenantId) -> ContractService:
    follower = ContractFollower(tenant)
    return ContractService(tenant, follower=follower, interactions=interaction_service(tenant, follower=follower))


def similarity_service(tenant: TenantId) -> SimilarityService:
    return SimilarityService(tenant, catalog=ServiceCatalog(tenant), recording=interaction_service(tenant))


def document_publisher(tenant: TenantId) -> DocumentPublisher:
    return DocumentPublisher(tenant, catalog=ServiceCatalog(tenant), follower=ContractFollower(tenant))


def document_reader(tenant: TenantId) -> DocumentReader:
    return DocumentReader(tenant, catalog=ServiceCatalog(tenant))


def contract_selection(tenant: TenantId) -> ContractSelection:
    return ContractSelection(tenant, catalog=ServiceCatalog(tenant))


def provider_state_service(tenant: TenantId) -> ProviderStateService:
    return ProviderStateService(tenant, selection=contract_selection(tenant))


def contract_follower(tenant: TenantId) -> ContractFollower:
    return ContractFollower(tenant)


def matrix_query_service(tenant: TenantId) -> MatrixQueryService:
    return MatrixQueryService(tenant, follower=ContractFollower(tenant))


def deployability_service(tenant: TenantId) -> DeployabilityService:
    return DeployabilityService(queries=matrix_query_service(tenant), directory=ServiceDirectory(tenant))


def matrix_service(tenant: TenantId) -> MatrixService:
    return MatrixService(tenant, catalog=ServiceCatalog(tenant), queries=matrix_query_service(tenant))


def service_directory(tenant: TenantId) -> ServiceDirectory:
    return ServiceDirectory(tenant)


def version_history(tenant: TenantId) -> VersionHistory:
    return VersionHistory(tenant)


def version_labels(tenant: TenantId) -> VersionLabels:
    return VersionLabels(tenant)


def integration_service(tenant: TenantId) -> IntegrationService:
    return IntegrationService(tenant)


def fixture_review(tenant: TenantId) -> FixtureReview:
    return FixtureReview(tenant)


def contract_status_service(tenant: TenantId) -> ContractStatusService:
    return ContractStatusService(tenant)


def spec_diff_service(tenant: TenantId) -> SpecDiffService:
    return SpecDiffService(tenant)


def mock_service(tenant: TenantId) -> MockService:
    return MockService(tenant)


def webhook_service(tenant: TenantId, policy: DeliveryPolicy) -> WebhookService:
    return WebhookService(tenant, policy)


def audit_service(tenant: TenantId) -> AuditService:
    return AuditService(AuditRepository(tenant))


def api_key_service(tenant: TenantId, *, forget_key: Callable[[str], None]) -> ApiKeyService:
    # `forget_key` is the key cache's: a key revoked here is refused by this process at once.
    return ApiKeyService(ApiKeyRepository(tenant), forget_key=forget_key)


def badge_token_service(tenant: TenantId) -> BadgeTokenService:
    return BadgeTokenService(BadgeTokenRepository(tenant))


def provide_webhook_service(tenant_id: NamedDependency[TenantId], state: State) -> WebhookService:
    return webhook_service(tenant_id, state.webhook_policy)


def provide_api_key_service(tenant_id: NamedDependency[TenantId], state: State) -> ApiKeyService:
    return api_key_service(tenant_id, forget_key=state.key_cache.invalidate)


def provide_interaction_service(tenant_id: NamedDependency[TenantId], state: State) -> InteractionService:
    return interaction_service(tenant_id, batch_near_duplicates=state.settings.batch_near_duplicates)


def _per_request(builder: Callable[[TenantId], object]) -> Provide:
    """A provider of `builder`'s service for the request's tenant. Written out once instead of a `provide_x`
    function per builder; Litestar reads the same signature from it (the tenant id in, the builder's type out)."""

    def provide(tenant_id: TenantId) -> object:
        return builder(tenant_id)

    provide.__annotations__ = {"tenant_id": NamedDependency[TenantId], "return": get_type_hints(builder)["return"]}
    provide.__name__ = provide.__qualname__ = f"provide_{builder.__name__}"
    return Provide(provide, sync_to_thread=False)


# Registered on the app beside the shared providers; handlers ask for them by these names.
SERVICE_DEPENDENCIES = {
    **{
        builder.__name__: _per_request(builder)
        for builder in (
            service_catalog,
            catalog_removal,
            environment_service,
            matrix_service,
            presence_service,
            spec_service,
            fixture_service,
            verification_service,
            static_check_service,
            contract_service,
            similarity_service,
            document_publisher,
            document_reader,
            contract_selection,
            provider_state_service,
            deployability_service,
            service_directory,
            version_history,
            version_labels,
            integration_service,
            fixture_review,
            contract_status_service,
            spec_diff_service,
            mock_service,
            audit_service,
            badge_token_service,
        )
    },
    "webhook_service": Provide(provide_webhook_service, sync_to_thread=False),
    "api_key_service": Provide(provide_api_key_service, sync_to_thread=False),
    "interaction_service": Provide(provide_interaction_service, sync_to_thread=False),
}
