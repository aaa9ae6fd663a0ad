"""`accord clean`: remove old versions and what nothing uses any more, by the retention keep rules."""

from __future__ import annotations

import click
import msgspec

from accord.cli.runtime import load_settings_or_exit, prepare_database, run_async


@click.command(short_help="Remove old versions by the retention keep rules.")
@click.option("--dry-run", is_flag=True, help="Print what would be removed, with counts per kind; change nothing.")
@click.option(
    "--keep-latest",
    type=click.IntRange(min=0),
    default=None,
    help="Keep the latest N versions of every branch (default: ACCORD_RETENTION_KEEP_LATEST, 10).",
)
@click.option(
    "--keep-days",
    type=click.FloatRange(min=0),
    default=None,
    help="Keep everything younger than D days (default: ACCORD_RETENTION_KEEP_DAYS, 90).",
)
@click.option("--tenant", "slug", default=None, help="Clean only this tenant (default: every tenant).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def clean(dry_run: bool, keep_latest: int | None, keep_days: float | None, slug: str | None, as_json: bool) -> None:
    """Remove versions no keep rule holds, with their contracts, verifications, static checks and other
    dependents, and contract contents and request vectors nothing uses any more.

    Always kept: main-branch heads, the latest version of each service, everything currently deployed or
    released, the latest N versions of each branch and everything younger than D days. One transaction per
    tenant; one clean at a time across processes (a second one waits).
    """
    settings = load_settings_or_exit()
    prepare_database(settings)
    from accord.retention.schemas import KeepRules
    from accord.retention.service import RetentionService

    rules = KeepRules(
        latest_per_branch=settings.retention_keep_latest if keep_latest is None else keep_latest,
        younger_than_days=settings.retention_keep_days if keep_days is None else keep_days,
        idempotency_key_hours=settings.idempotency_ttl_hours,
        webhook_history_days=settings.webhook_history_days,
    )
    report = run_async(RetentionService(rules).clean, dry_run, True, slug)
    if as_json:
        click.echo(msgspec.json.encode(report).decode())
        return
    verb = "would remove" if dry_run else "removed"
    totals = report.totals()
    for tenant in report.tenants:
        click.echo(f"{tenant.tenant}: {verb} {tenant.removed.versions} versions")
    click.echo(f"{verb} in all ({len(report.tenants)} tenants):")
    for kind, count in msgspec.structs.asdict(totals).items():
        click.echo(f"  {kind.replace('_', ' ')}: {count}")
