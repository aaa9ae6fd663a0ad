"""Tenant scoping lives in one place: no module of src/ queries a tenant-owned table directly.

Repositories subclass accord.db.repository.TenantRepository and build queries through it, which adds the
tenant filter; the exceptions (ALLOWED) are how a request's tenant is found: the key store, the session store, the
invitation-link lookup.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tables.api_key  # noqa: F401 - registers the tenant tables
from tables.base import TenantTable

SRC = Path(__file__).resolve().parent.parent / "src" / "accord"

# Query builders and row persistence of Piccolo tables.
QUERY_METHODS = {
    "select", "objects", "insert", "update", "delete", "count", "exists", "raw", "alter",
    "create_table", "drop_table", "add_m2m", "get_m2m", "remove", "save", "refresh",
}  # fmt: skip

ALLOWED = {
    "tenancy/key_store.py": "finds the tenant of a presented API key; runs before any tenant is known",
    "compatibility/job_queue.py": "background workers claim every tenant's queued checks; each then runs scoped",
    "contracts/pending_queue.py": "the settler finds every tenant's quiet contracts; each then settles scoped",
    "similarity/index_queue.py": "the vector indexer adds every tenant's waiting vectors to the HNSW index",
    "webhooks/queue.py": "webhook workers fan out and claim every tenant's deliveries; each then runs scoped",
    "tenancy/session_store.py": "finds a logged-in user's memberships (their tenants) before any tenant is known",
    "tenancy/invitation_store.py": "finds the invitation of a presented link before its tenant is known",
    "tenancy/badge_token_store.py": "finds the tenant of a public badge URL's token",
}


def tenant_table_names() -> set[str]:
    found: set[str] = set()
    pending = list(TenantTable.__subclasses__())
    while pending:
        table = pending.pop()
        found.add(table.__name__)
        pending.extend(table.__subclasses__())
    return found


def _bases(node: ast.ClassDef) -> set[str]:
    return {ast.unparse(base).split("[")[0] for base in node.bases}


def _repository_classes(tree: ast.Module) -> set[str]:
    """TenantRepository and the module's own subclasses of it (a base shared by the repositories of two tables
    alike, like deployments' PresenceRepository)."""
    found = {"TenantRepository"}
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    while grown := {node.name for node in classes if node.name not in found and _bases(node) & found}:
        found |= grown
    return found


def violations_in(source: str, tenant_tables: set[str]) -> list[str]:
    tree = ast.parse(source)
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tables"):
            aliases.update(alias.asname or alias.name for alias in node.names if alias.name in tenant_tables)
    repositories = _repository_classes(tree)
    problems: list[str] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr in QUERY_METHODS
        ):
            problems.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in aliases:
            problems.append(f"line {node.lineno}: builds a {node.func.id} row outside TenantRepository.insert")
        elif isinstance(node, ast.ClassDef):
            assigns_table = any(
                isinstance(statement, ast.Assign)
                and any(isinstance(target, ast.Name) and target.id == "table" for target in statement.targets)
                and isinstance(statement.value, ast.Name)
                and statement.value.id in aliases
                for statement in node.body
            )
            if assigns_table and not _bases(node) & repositories:
                problems.append(f"line {node.lineno}: {node.name} holds a tenant table but is no TenantRepository")
    return problems


def test_there_are_tenant_tables_to_guard() -> None:
    assert "ApiKey" in tenant_table_names()
    assert "Tenant" not in tenant_table_names()


def test_the_checker_catches_direct_queries() -> None:
    source = (
        "from tables.api_key import ApiKey as Key\n"
        "async def leak():\n"
        "    return await Key.select().where(Key.name == 'x')\n"
        "def build():\n"
        "    return Key(name='x')\n"
        "class Sneaky:\n"
        "    table = Key\n"
    )
    problems = violations_in(source, {"ApiKey"})
    assert len(problems) == 3


def test_a_shared_repository_base_counts_only_when_it_is_a_tenant_repository() -> None:
    source = (
        "from tables.api_key import ApiKey as Key\n"
        "class Shared(TenantRepository[Any]):\n"
        "    pass\n"
        "class KeyRepository(Shared):\n"
        "    table = Key\n"
        "class Plain:\n"
        "    pass\n"
        "class Sneaky(Plain):\n"
        "    table = Key\n"
    )
    assert violations_in(source, {"ApiKey"}) == ["line 8: Sneaky holds a tenant table but is no TenantRepository"]


def test_no_module_queries_a_tenant_table_outside_a_repository() -> None:
    tenant_tables = tenant_table_names()
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative in ALLOWED:
            continue
        problems = violations_in(path.read_text(), tenant_tables)
        if problems:
            found[relative] = problems
    assert found == {}, f"query tenant tables through a TenantRepository subclass instead: {found}"
