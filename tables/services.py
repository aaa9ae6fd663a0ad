"""Services (Pact's pacticipants), their versions, branches and tags."""

from __future__ import annotations

from piccolo.columns import UUID, BigSerial, ForeignKey, OnDelete, Text, Varchar
from piccolo.columns.readable import Readable
from piccolo.constraints import Unique

from tables.base import TenantTable


class Service(TenantTable, help_text="An application that consumes or provides APIs (a Pact pacticipant)."):
    id = UUID(primary_key=True)
    name = Varchar(length=255, null=False, help_text="Unique name within the tenant, as CI and Pact clients use it.")
    display_name = Varchar(length=255, null=True, default=None, help_text="Human-friendly name.")
    description = Text(default="", help_text="What the service does.")
    repository_url = Varchar(length=2048, null=True, default=None, help_text="Source repository.")
    repository_name = Varchar(length=255, null=True, default=None, help_text="Repository name, e.g. 'orders'.")
    repository_namespace = Varchar(
        length=255, null=True, default=None, help_text="Repository owner or group, e.g. 'acme'."
    )
    main_branch = Varchar(
        length=255,
        null=True,
        default=None,
        help_text="Main branch; detected from main/master/develop if unset.",
    )

    service_unique_name = Unique(["tenant", "name"])

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.name])


class ServiceVersion(TenantTable, help_text="One build of a service, identified by its version number."):
    id = UUID(primary_key=True)
    service = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The service built.")
    number = Varchar(length=255, null=False, help_text="Opaque version string, e.g. a git sha or 1.4.2.")
    position = BigSerial(help_text="Creation order, the tie-breaker for 'latest'.")
    semver_key = Varchar(
        length=200,
        null=True,
        default=None,
        help_text="Sortable form of the number when it is semver, else empty.",
    )
    git_sha = Varchar(length=64, null=True, default=None, help_text="Commit the version was built from.")
    build_url = Varchar(length=2048, null=True, default=None, help_text="CI build that produced it.")

    service_version_unique_number = Unique(["tenant", "service", "number"])

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s %s", columns=[cls.service.name, cls.number])


class Branch(TenantTable, help_text="A branch of a service's repository that versions are built from."):
    id = UUID(primary_key=True)
    service = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The service.")
    name = Varchar(length=255, null=False, help_text="Branch name.")

    branch_unique_name = Unique(["tenant", "service", "name"])

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s:%s", columns=[cls.service.name, cls.name])


class BranchVersion(TenantTable, help_text="A version built from a branch (a version may be on several)."):
    id = UUID(primary_key=True)
    branch = ForeignKey(Branch, null=False, on_delete=OnDelete.cascade, help_text="The branch.")
    version = ForeignKey(ServiceVersion, null=False, on_delete=OnDelete.cascade, help_text="The version.")
    position = BigSerial(help_text="Order the version joined the branch; the latest is the branch head.")

    branch_version_unique = Unique(["branch", "version"])


class Tag(TenantTable, help_text="A label on a version (legacy Pact tags such as 'prod')."):
    id = UUID(primary_key=True)
    version = ForeignKey(ServiceVersion, null=False, on_delete=OnDelete.cascade, help_text="The tagged version.")
    name = Varchar(length=255, null=False, help_text="Tag name.")

    tag_unique_name = Unique(["version", "name"])
