"""The one place where services meet their collaborators: a service takes what it works with as constructor
arguments and never builds another slice's service itself, so who calls whom is read here, and a slice never
imports one above it to build it (recording needs contracts and similarity, which both read interactions).

The builders serve the HTTP providers below, the Pact adapter, the dashboard and tests alike."""

from __future__ import annotations

from collections.abc import Callable

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


def provide_service_catalog(tenant_id: NamedDependency[TenantId]) -> ServiceCatalog:
    return service_catalog(tenant_id)


def provide_catalog_removal(tenant_id: NamedDependency[TenantId]) -> CatalogRemoval:
    return catalog_removal(tenant_id)


def provide_environment_service(tenant_id: NamedDependency[TenantId]) -> EnvironmentService:
    return environment_service(tenant_id)


def provide_matrix_service(tenant_id: NamedDependency[TenantId]) -> MatrixService:
    return matrix_service(tenant_id)


def provide_presence_service(tenant_id: NamedDependency[TenantId]) -> PresenceService:
    return presence_service(tenant_id)


def provide_spec_service(tenant_id: NamedDependency[TenantId]) -> SpecService:
    return spec_service(tenant_id)


def provide_fixture_service(tenant_id: NamedDependency[TenantId]) -> FixtureService:
    return fixture_service(tenant_id)


def provide_verification_service(tenant_id: NamedDependency[TenantId]) -> VerificationService:
    return verification_service(tenant_id)


def provide_static_check_service(tenant_id: NamedDependency[TenantId]) -> StaticCheckService:
    return static_check_service(tenant_id)


def provide_interaction_service(tenant_id: NamedDependency[TenantId], state: State) -> InteractionService:
    return interaction_service(tenant_id, batch_near_duplicates=state.settings.batch_near_duplicates)


def provide_contract_service(tenant_id: NamedDependency[TenantId]) -> ContractService:
    return contract_service(tenant_id)


def provide_similarity_service(tenant_id: NamedDependency[TenantId]) -> SimilarityService:
    return similarity_service(tenant_id)


def provide_document_publisher(tenant_id: NamedDependency[TenantId]) -> DocumentPublisher:
    return document_publisher(tenant_id)


def provide_document_reader(tenant_id: NamedDependency[TenantId]) -> DocumentReader:
    return document_reader(tenant_id)


def provide_contract_selection(tenant_id: NamedDependency[TenantId]) -> ContractSelection:
    return contract_selection(tenant_id)


def provide_provider_state_service(tenant_id: NamedDependency[TenantId]) -> ProviderStateService:
    return provider_state_service(tenant_id)


def provide_deployability_service(tenant_id: NamedDependency[TenantId]) -> DeployabilityService:
    return deployability_service(tenant_id)


def provide_service_directory(tenant_id: NamedDependency[TenantId]) -> ServiceDirectory:
    return service_directory(tenant_id)


def provide_version_history(tenant_id: NamedDependency[TenantId]) -> VersionHistory:
    return version_history(tenant_id)


def provide_version_labels(tenant_id: NamedDependency[TenantId]) -> VersionLabels:
    return version_labels(tenant_id)


def provide_integration_service(tenant_id: NamedDependency[TenantId]) -> IntegrationService:
    return integration_service(tenant_id)


def provide_fixture_review(tenant_id: NamedDependency[TenantId]) -> FixtureReview:
    return fixture_review(tenant_id)


def provide_contract_status_service(tenant_id: NamedDependency[TenantId]) -> ContractStatusService:
    return contract_status_service(tenant_id)


def provide_spec_diff_service(tenant_id: NamedDependency[TenantId]) -> SpecDiffService:
    return spec_diff_service(tenant_id)


def provide_mock_service(tenant_id: NamedDependency[TenantId]) -> MockService:
    return mock_service(tenant_id)


def provide_webhook_service(tenant_id: NamedDependency[TenantId], state: State) -> WebhookService:
    return webhook_service(tenant_id, state.webhook_policy)


def provide_audit_service(tenant_id: NamedDependency[TenantId]) -> AuditService:
    return audit_service(tenant_id)


def provide_api_key_service(tenant_id: NamedDependency[TenantId], state: State) -> ApiKeyService:
    return api_key_service(tenant_id, forget_key=state.key_cache.invalidate)


def provide_badge_token_service(tenant_id: NamedDependency[TenantId]) -> BadgeTokenService:
    return badge_token_service(tenant_id)


# Registered on the app beside the shared providers; handlers ask for them by these names.
SERVICE_DEPENDENCIES = {
    "service_catalog": Provide(provide_service_catalog, sync_to_thread=False),
    "catalog_removal": Provide(provide_catalog_removal, sync_to_thread=False),
    "environment_service": Provide(provide_environment_service, sync_to_thread=False),
    "matrix_service": Provide(provide_matrix_service, sync_to_thread=False),
    "presence_service": Provide(provide_presence_service, sync_to_thread=False),
    "spec_service": Provide(provide_spec_service, sync_to_thread=False),
    "fixture_service": Provide(provide_fixture_service, sync_to_thread=False),
    "verification_service": Provide(provide_verification_service, sync_to_thread=False),
    "static_check_service": Provide(provide_static_check_service, sync_to_thread=False),
    "interaction_service": Provide(provide_interaction_service, sync_to_thread=False),
    "contract_service": Provide(provide_contract_service, sync_to_thread=False),
    "similarity_service": Provide(provide_similarity_service, sync_to_thread=False),
    "document_publisher": Provide(provide_document_publisher, sync_to_thread=False),
    "document_reader": Provide(provide_document_reader, sync_to_thread=False),
    "contract_selection": Provide(provide_contract_selection, sync_to_thread=False),
    "provider_state_service": Provide(provide_provider_state_service, sync_to_thread=False),
    "deployability_service": Provide(provide_deployability_service, sync_to_thread=False),
    "service_directory": Provide(provide_service_directory, sync_to_thread=False),
    "version_history": Provide(provide_version_history, sync_to_thread=False),
    "version_labels": Provide(provide_version_labels, sync_to_thread=False),
    "integration_service": Provide(provide_integration_service, sync_to_thread=False),
    "fixture_review": Provide(provide_fixture_review, sync_to_thread=False),
    "contract_status_service": Provide(provide_contract_status_service, sync_to_thread=False),
    "spec_diff_service": Provide(provide_spec_diff_service, sync_to_thread=False),
    "mock_service": Provide(provide_mock_service, sync_to_thread=False),
    "webhook_service": Provide(provide_webhook_service, sync_to_thread=False),
    "audit_service": Provide(provide_audit_service, sync_to_thread=False),
    "api_key_service": Provide(provide_api_key_service, sync_to_thread=False),
    "badge_token_service": Provide(provide_badge_token_service, sync_to_thread=False),
}
