"""Reads of integrations (consumer-provider pairs with a pact) for /integrations and /dashboard, a page at a time."""

from __future__ import annotations

from typing import Any

from accord.db.repository import TenantRepository
from tables.contracts import ContractPublication

# Each pair's newest pact (by consumer version order) and that content's newest verification, with what the
# dashboard shows of them: the versions' branches and tags, and the pair's webhook activity. Pages are chosen
# on the pairs first (`paged`), so only a page's pairs pay for their tags, branches and webhooks.
_PAIRS = (
    "WITH latest AS ("
    "  SELECT DISTINCT ON (p.consumer, p.provider) p.consumer, p.provider, p.content, p.consumer_version, "
    "    p.created_at FROM contract_publication p "
    "  JOIN service_version cv ON cv.tenant = $1 AND cv.id = p.consumer_version "
    "  WHERE p.tenant = $1 ORDER BY p.consumer, p.provider, cv.position DESC), "
    "pairs AS ("
    "  SELECT latest.*, cs.name AS consumer_name, ps.name AS provider_name, verdict.id AS verdict_id, "
    "    GREATEST(latest.created_at, verdict.created_at) AS last_activity, count(*) OVER () AS total "
    "  FROM latest JOIN service cs ON cs.tenant = $1 AND cs.id = latest.consumer "
    "  JOIN service ps ON ps.tenant = $1 AND ps.id = latest.provider "
    "  LEFT JOIN LATERAL (SELECT vr.id, vr.created_at FROM verification_result vr "
    "    WHERE vr.tenant = $1 AND vr.content = latest.content AND vr.provider = latest.provider "
    "    ORDER BY vr.created_at DESC LIMIT 1) verdict ON true), "
)
_PAGE_BY_NAMES = "paged AS (SELECT * FROM pairs ORDER BY consumer_name, provider_name LIMIT $2 OFFSET $3) "
# The broker's dashboard shows the most recently active pairs first.
_PAGE_BY_ACTIVITY = (
    "paged AS (SELECT * FROM pairs ORDER BY last_activity DESC, consumer_name, provider_name LIMIT $2 OFFSET $3) "
)
_VERSION_LABELS = (
    "COALESCE((SELECT array_agg(b.name ORDER BY bv.position) FROM branch_version bv "
    "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch WHERE bv.tenant = $1 AND bv.version = {v}), '{{}}') "
    "  AS {prefix}_branches, "
    "COALESCE((SELECT array_agg(t.name ORDER BY t.name) FROM tag t WHERE t.tenant = $1 AND t.version = {v}), "
    "  '{{}}') AS {prefix}_tags, "
)
_SELECT = (
    "SELECT paged.consumer_name AS consumer, paged.provider_name AS provider, cv.number AS consumer_version, "
    "  c.sha, paged.created_at AS pact_created_at, vr.success, vr.created_at AS verified_at, "
    "  pv.number AS provider_version, paged.total, "
    + _VERSION_LABELS.format(v="paged.consumer_version", prefix="consumer_version")
    + _VERSION_LABELS.format(v="vr.provider_version", prefix="provider_version")
    # Tags of the provider version that no later version of the provider carries (the broker's `latest`).
    + "COALESCE((SELECT array_agg(t.name ORDER BY t.name) FROM tag t WHERE t.tenant = $1 AND t.version = pv.id "
    "  AND NOT EXISTS (SELECT 1 FROM tag later JOIN service_version lv ON lv.tenant = $1 AND lv.id = later.version "
    "    WHERE later.tenant = $1 AND later.name = t.name AND lv.service = pv.service AND lv.position > pv.position)), "
    "  '{}') AS provider_latest_tags, "
    "  hook.created_at AS webhook_at, hook.success AS webhook_success, delivery.status AS delivery_status, "
    # Enabled webhooks that may fire for the pair: label selectors aren't resolved here, so a webhook that
    # selects by label alone counts for every pair (only the difference between `none` and `not_run`).
    "  EXISTS (SELECT 1 FROM webhook w WHERE w.tenant = $1 AND w.enabled "
    "    AND (w.consumer IS NULL OR w.consumer = paged.consumer) "
    "    AND (w.provider IS NULL OR w.provider = paged.provider)) AS has_webhooks "
    "FROM paged JOIN service_version cv ON cv.tenant = $1 AND cv.id = paged.consumer_version "
    "JOIN contract_content c ON c.tenant = $1 AND c.id = paged.content "
    "LEFT JOIN verification_result vr ON vr.tenant = $1 AND vr.id = paged.verdict_id "
    "LEFT JOIN service_version pv ON pv.tenant = $1 AND pv.id = vr.provider_version "
    # The pair's webhook activity: its events' newest request sent, and its newest delivery's state.
    "LEFT JOIN LATERAL (SELECT a.created_at, a.success FROM webhook_attempt a "
    "  JOIN webhook_delivery d ON d.tenant = $1 AND d.id = a.delivery JOIN event e ON e.tenant = $1 AND e.id = d.event "
    "  WHERE a.tenant = $1 AND e.consumer = paged.consumer AND e.provider = paged.provider "
    "  ORDER BY a.created_at DESC LIMIT 1) hook ON true "
    "LEFT JOIN LATERAL (SELECT d.status FROM webhook_delivery d JOIN event e ON e.tenant = $1 AND e.id = d.event "
    "  WHERE d.tenant = $1 AND e.consumer = paged.consumer AND e.provider = paged.provider "
    "  ORDER BY d.created_at DESC LIMIT 1) delivery ON true "
)


class PactIntegrationRepository(TenantRepository[ContractPublication]):
    """Integrations a page at a time, each row with `total`, the count of all of them."""

    table = ContractPublication

    async def list_page(self, *, limit: int, offset: int, by_activity: bool) -> list[dict[str, Any]]:
        """By consumer and provider name, or (`by_activity`) most recently published or verified first."""
        order = "ORDER BY paged.last_activity DESC, paged.consumer_name, paged.provider_name"
        if not by_activity:
            order = "ORDER BY paged.consumer_name, paged.provider_name"
        page = _PAGE_BY_ACTIVITY if by_activity else _PAGE_BY_NAMES
        return await self.fetch(_PAIRS + page + _SELECT + order, limit, offset)
