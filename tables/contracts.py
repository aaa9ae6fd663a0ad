"""What consumers expect of providers: specs, recorded interactions, contracts and their verification."""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import JSONB, UUID, Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.readable import Readable
from piccolo.constraints import Unique

from tables.base import TenantTable, Vector
from tables.services import Service, ServiceVersion


class Spec(TenantTable, help_text="A provider version's OpenAPI document."):
    id = UUID(primary_key=True)
    version = ForeignKey(ServiceVersion, null=False, on_delete=OnDelete.cascade, help_text="Provider version.")
    service = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The provider.")
    content = JSONB(help_text="The document as parsed JSON.")
    content_sha = Varchar(length=64, null=False, help_text="SHA-256 of the normalized document.")
    source_format = Varchar(length=8, default="json", help_text="json or yaml, as uploaded.")
    source_text = Text(default="", help_text="The document exactly as uploaded.")
    openapi_version = Varchar(length=20, default="", help_text="openapi/swagger version field.")
    # The provider's own proof that it implements this document (PactFlow's "provider verification result"):
    # a static check counts only when this passed. Cleared when the document is replaced.
    verification_success = Boolean(
        null=True, default=None, help_text="The provider's self-verification of the spec: passed, failed, or none."
    )
    verifier = Varchar(
        length=200, null=True, default=None, help_text="Tool that checked the running provider (Dredd, Schemathesis)."
    )
    verifier_version = Varchar(length=100, null=True, default=None, help_text="That tool's version.")
    verification_content = Text(null=True, default=None, help_text="The tool's report, as published.")
    verification_content_type = Varchar(length=255, null=True, default=None, help_text="The report's media type.")
    verified_at = Timestamptz(null=True, default=None, help_text="When the self-verification was published.")

    spec_unique_version = Unique(["tenant", "version"])


class Interaction(TenantTable, help_text="One recorded request/response a consumer version relies on."):
    id = UUID(primary_key=True)
    consumer = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The consumer.")
    consumer_version = ForeignKey(
        ServiceVersion,
        null=False,
        on_delete=OnDelete.cascade,
        help_text="The consumer version that recorded it.",
    )
    provider = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The provider called.")
    operation = Varchar(length=512, default="", help_text="operationId, or 'METHOD /path/template'.")
    request = JSONB(help_text="{method, path, query, headers, body}")
    response = JSONB(help_text="{status, headers, body}")
    environment = Varchar(length=100, null=True, default=None, help_text="Where it was recorded.")
    recorded_at = Timestamptz(default=TimestamptzNow(), help_text="When it was recorded.")
    duration_ms = Integer(null=True, default=None, help_text="How long the provider took.")
    client_info = JSONB(null=True, default=None, help_text="What recorded it (library, version).")
    hash = Varchar(length=64, null=False, help_text="Dedup key: consumer, version, provider, request, response.")
    content_hash = Varchar(
        length=64,
        null=False,
        help_text="Provider, request and response only: equal across consumer versions.",
    )
    # Recorded traffic repeats requests: their vectors are stored once, in RequestVector (an HNSW index holding
    # every row would make each recorded duplicate pay for a graph insertion, and its islands of equal vectors
    # would trap searches).
    vector_key = Varchar(length=64, null=True, default=None, help_text="Its request's vector: RequestVector.key.")

    interaction_unique_hash = Unique(["tenant", "hash"])


class ContractContent(TenantTable, help_text="A distinct set of expectations of a consumer of a provider."):
    id = UUID(primary_key=True)
    consumer = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The consumer.")
    provider = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The provider.")
    sha = Varchar(length=64, null=False, help_text="SHA-256 of the normalized content.")
    kind = Varchar(length=16, default="interactions", help_text="interactions (recorded) or pact.")
    content = JSONB(help_text="The normalized document (a pact, or Accord's interaction list).")
    interaction_count = Integer(default=0, help_text="How many interactions it holds.")

    contract_content_unique_sha = Unique(["tenant", "consumer", "provider", "sha"])

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.sha])


class ContractPublication(TenantTable, help_text="Which content a consumer version expects of a provider."):
    id = UUID(primary_key=True)
    consumer = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The consumer.")
    consumer_version = ForeignKey(ServiceVersion, null=False, on_delete=OnDelete.cascade, help_text="Its version.")
    provider = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The provider.")
    content = ForeignKey(ContractContent, null=False, on_delete=OnDelete.cascade, help_text="What it expects.")

    contract_publication_unique = Unique(["tenant", "consumer_version", "provider"])


class PendingContract(
    TenantTable, help_text="A consumer version's contract with a provider that recorded interactions have outdated."
):
    # Recording interactions only marks the contract here; ContractFollower derives it once the burst of
    # batches is over (or at once when something reads contracts), so a CI run costs one derivation, not one
    # per batch. `generation` tells a deriver whether a batch marked the pair again while it was working.
    id = UUID(primary_key=True)
    consumer_version = ForeignKey(ServiceVersion, null=False, on_delete=OnDelete.cascade, help_text="Its version.")
    provider = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The provider.")
    generation = Integer(default=1, help_text="Batches that marked it since it was last derived.")
    first_marked_at = Timestamptz(default=TimestamptzNow(), help_text="The first such batch.")
    marked_at = Timestamptz(default=TimestamptzNow(), help_text="The latest such batch.")

    pending_contract_unique = Unique(["tenant", "consumer_version", "provider"])


class VerificationResult(TenantTable, help_text="A provider version's verdict on one contract content."):
    id = UUID(primary_key=True)
    content = ForeignKey(ContractContent, null=False, on_delete=OnDelete.cascade, help_text="What was verified.")
    consumer = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The content's consumer.")
    provider = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The provider.")
    provider_version = ForeignKey(
        ServiceVersion,
        null=False,
        on_delete=OnDelete.cascade,
        help_text="The provider version that verified.",
    )
    success = Boolean(null=False, help_text="Whether every interaction passed.")
    results = JSONB(default="[]", help_text="Per interaction: {interaction, success, mismatches}.")
    verified_by = JSONB(null=True, default=None, help_text="Tool that verified, e.g. {implementation, version}.")
    build_url = Varchar(length=2048, null=True, default=None, help_text="CI build of the verification.")


class StaticCheck(TenantTable, help_text="A contract content checked statically against a provider spec content."):
    class Status(StrEnum):
        pending = "pending"
        running = "running"
        passed = "passed"
        failed = "failed"
        error = "error"

    id = UUID(primary_key=True)
    content = ForeignKey(ContractContent, null=False, on_delete=OnDelete.cascade, help_text="The contract checked.")
    spec_sha = Varchar(length=64, null=False, help_text="content_sha of the spec it was checked against.")
    status = Varchar(length=16, default=Status.pending, choices=Status, help_text="Where the check stands.")
    summary = JSONB(null=True, default=None, help_text="{passed, failed, not_checkable} interaction counts.")
    results = JSONB(null=True, default=None, help_text="Per interaction: {interaction, status, mismatches}.")
    error = Text(default="", help_text="Why the check could not run, if it could not.")
    attempts = Integer(default=0, help_text="How many times a worker claimed it.")
    claimed_at = Timestamptz(null=True, default=None, help_text="When a worker took it.")
    checked_at = Timestamptz(null=True, default=None, help_text="When the result was written.")

    static_check_unique_pair = Unique(["tenant", "content", "spec_sha"])


class RequestVector(TenantTable, help_text="A distinct request vector of a tenant's recorded interactions."):
    id = UUID(primary_key=True)
    operation = Varchar(length=512, default="", help_text="The interactions' operation (a feature of the vector).")
    key = Varchar(length=64, null=False, help_text="SHA-256 of the vector's text: interactions refer to it.")
    # accord.embeddings.hashing.DIMENSIONS
    embedding = Vector(dimensions=256, null=False, help_text="Feature-hashed request, for similarity search.")
    # Ingest stores new vectors unindexed: an HNSW insertion costs more than the rest of a small batch, so the
    # background VectorIndexer adds them to the graph, and searches scan the unindexed ones exactly meanwhile.
    indexed = Boolean(default=True, help_text="In the HNSW index (false: waiting for the vector indexer).")

    # Once per tenant, not per provider: equal vectors are exact duplicates in the HNSW graph, and islands of
    # them trap its searches (the demo history's 100 providers share their requests).
    request_vector_unique_key = Unique(["tenant", "key"])
