"""All Pact-compatible resources, under the broker's root, with Pact-shaped errors."""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide

from accord.pact.badges.controller import PactBadgeController
from accord.pact.diagnostics import PactDiagnosticController
from accord.pact.environments.controller import PactEnvironmentController
from accord.pact.environments.deployed_controller import PactDeployedVersionController, PactReleasedVersionController
from accord.pact.errors import PACT_EXCEPTION_HANDLERS
from accord.pact.index.controller import PactIndexController
from accord.pact.integrations.controller import PactIntegrationController
from accord.pact.matrix.can_i_deploy_controller import PactCanIDeployController, PactVersionCanIDeployController
from accord.pact.matrix.controller import PactMatrixController
from accord.pact.pacticipants.controller import PacticipantController
from accord.pact.pacticipants.labels_controller import PacticipantLabelController
from accord.pact.pacts.collections_controller import ProviderPactsController
from accord.pact.pacts.controller import PactController
from accord.pact.pacts.publish_controller import PublishContractsController
from accord.pact.verification.for_verification_controller import PactsForVerificationController
from accord.pact.verification.provider_states_controller import ProviderStateController
from accord.pact.verification.results_controller import PactVerificationResultController
from accord.pact.versions.branches_controller import PactBranchController
from accord.pact.versions.controller import PactTagController, PactVersionController
from accord.pact.versions.details import provide_version_details
from accord.pact.webhooks.controller import PactWebhookController


def pact_router() -> Router:
    return Router(
        path="/",
        route_handlers=[
            PactIndexController,
            PactMatrixController,
            PactCanIDeployController,
            PactVersionCanIDeployController,
            PactBadgeController,
            PublishContractsController,
            PactController,
            ProviderPactsController,
            ProviderStateController,
            PactsForVerificationController,
            PactVerificationResultController,
            PacticipantLabelController,
            PacticipantController,
            PactVersionController,
            PactTagController,
            PactBranchController,
            PactEnvironmentController,
            PactDeployedVersionController,
            PactReleasedVersionController,
            PactWebhookController,
            PactIntegrationController,
            PactDiagnosticController,
        ],
        # The adapter's one provider of its own (a version's Pact resource composed from native services); the
        # native services come from accord.composition, registered on the app.
        dependencies={"version_details": Provide(provide_version_details, sync_to_thread=False)},
        exception_handlers=PACT_EXCEPTION_HANDLERS,
        tags=["pact"],
    )
