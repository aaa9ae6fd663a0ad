"""How big each demo history is."""

from __future__ import annotations

import msgspec


class HistorySize(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    consumers: int
    providers: int
    versions_per_service: int
    providers_per_consumer: int
    versions_per_content: int  # a consumer's contract with a provider changes every this many versions
    interactions_per_content: int
    verifications_per_content: int

    @property
    def services(self) -> int:
        return self.consumers + self.providers

    @property
    def versions(self) -> int:
        return self.services * self.versions_per_service

    @property
    def contents(self) -> int:
        return self.consumers * self.providers_per_consumer * self.versions_per_service // self.versions_per_content

    @property
    def interactions(self) -> int:
        return self.contents * self.interactions_per_content

    @property
    def verifications(self) -> int:
        return self.contents * self.verifications_per_content


SIZES = {
    size.name: size
    for size in (
        HistorySize(
            name="small",
            consumers=10,
            providers=10,
            versions_per_service=20,
            providers_per_consumer=2,
            versions_per_content=10,
            interactions_per_content=10,
            verifications_per_content=5,
        ),
        HistorySize(
            name="medium",
            consumers=50,
            providers=50,
            versions_per_service=40,
            providers_per_consumer=2,
            versions_per_content=10,
            interactions_per_content=40,
            verifications_per_content=10,
        ),
        # 200 services, 20,000 versions, 2,000 contracts, 200,000 interactions, 50,000 verification results.
        HistorySize(
            name="large",
            consumers=100,
            providers=100,
            versions_per_service=100,
            providers_per_consumer=2,
            versions_per_content=10,
            interactions_per_content=100,
            verifications_per_content=25,
        ),
    )
}
