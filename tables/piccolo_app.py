"""Accord's one Piccolo app: every table, migrations in the top-level piccolo_migrations/."""

import os

from piccolo.conf.apps import AppConfig

from tables.accounts import BadgeToken, Invitation, Membership, UserAccount, WebSession
from tables.api_key import ApiKey
from tables.audit import AuditEntry
from tables.contracts import (
    ContractContent,
    ContractPublication,
    Interaction,
    PendingContract,
    RequestVector,
    Spec,
    StaticCheck,
    VerificationResult,
)
from tables.environments import Deployment, Environment, Release
from tables.fixtures import Fixture, FixtureVersion
from tables.idempotency import IdempotencyKey
from tables.labels import ServiceLabel
from tables.services import Branch, BranchVersion, Service, ServiceVersion, Tag
from tables.tenant import Tenant
from tables.webhooks import Event, Webhook, WebhookAttempt, WebhookDelivery

_HERE = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="accord",
    migrations_folder_path=os.path.join(_HERE, "..", "piccolo_migrations"),
    table_classes=[
        Tenant,
        ApiKey,
        Service,
        ServiceVersion,
        Branch,
        BranchVersion,
        Tag,
        ServiceLabel,
        Environment,
        Deployment,
        Release,
        Spec,
        Interaction,
        RequestVector,
        ContractContent,
        ContractPublication,
        PendingContract,
        VerificationResult,
        StaticCheck,
        Fixture,
        FixtureVersion,
        Event,
        Webhook,
        WebhookDelivery,
        WebhookAttempt,
        UserAccount,
        Membership,
        Invitation,
        WebSession,
        BadgeToken,
        IdempotencyKey,
        AuditEntry,
    ],
    migration_dependencies=[],
    commands=[],
)
