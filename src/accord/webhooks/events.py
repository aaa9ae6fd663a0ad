"""The names of the events webhooks and the event stream carry (written by the database triggers of migration
2026-12-05T16:14)."""

from __future__ import annotations

from typing import Literal

# The Pact Broker's events, with its meaning.
PACT_EVENTS = (
    "contract_published",
    "contract_content_changed",
    "contract_requiring_verification_published",
    "provider_verification_published",
    "provider_verification_succeeded",
    "provider_verification_failed",
)
# Accord's own.
ACCORD_EVENTS = (
    "deployment_recorded",
    "release_recorded",
    "spec_published",
    "static_check_failed",
    "fixture_proposed",
)
EVENT_NAMES = PACT_EVENTS + ACCORD_EVENTS

EventName = Literal[
    "contract_published",
    "contract_content_changed",
    "contract_requiring_verification_published",
    "provider_verification_published",
    "provider_verification_succeeded",
    "provider_verification_failed",
    "deployment_recorded",
    "release_recorded",
    "spec_published",
    "static_check_failed",
    "fixture_proposed",
]

# One delivery per provider version that must verify the new content, not one per event.
PER_PROVIDER_VERSION = "contract_requiring_verification_published"
