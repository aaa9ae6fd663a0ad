"""A broker history of a chosen size, written with set-based SQL straight into a tenant's tables."""

from __future__ import annotations

import asyncpg

from bench.server import BenchServer

# Each consumer version expects something of 3 providers; a new contract content every 10 versions;
# each content is verified by the provider versions built around the time it appeared; every version was
# deployed to production once (only the newest of each service still is).
_HISTORY_SQL = """
WITH t AS (SELECT id AS tenant FROM tenant WHERE slug = $1),
services AS (
  INSERT INTO service (tenant, name)
  SELECT t.tenant, kind || '-' || n FROM t, unnest(ARRAY['consumer', 'provider']) kind, generate_series(1, $2) n
  RETURNING id, name, tenant
),
versions AS (
  INSERT INTO service_version (tenant, service, number)
  SELECT s.tenant, s.id, v::text FROM services s, generate_series(1, $3) v
  RETURNING id, service, number, tenant
)
SELECT count(*) FROM versions
"""

_CONTENT_SQL = """
WITH t AS (SELECT id AS tenant FROM tenant WHERE slug = $1),
pairs AS (
  SELECT c.id AS consumer, p.id AS provider, c.tenant
  FROM service c JOIN service p ON p.tenant = c.tenant
  JOIN t ON t.tenant = c.tenant
  WHERE c.name LIKE 'consumer-%' AND p.name LIKE 'provider-%'
    AND (split_part(p.name, '-', 2)::int - split_part(c.name, '-', 2)::int + $2) % $2 < 3
)
INSERT INTO contract_content (tenant, consumer, provider, sha, content, interaction_count)
SELECT pairs.tenant, pairs.consumer, pairs.provider,
       md5(pairs.consumer::text || pairs.provider::text || g) || md5(g::text || pairs.provider::text),
       jsonb_build_object('interactions', jsonb_build_array(jsonb_build_object(
         'key', md5(g::text), 'request', jsonb_build_object('method', 'GET', 'path', '/x/' || g)))),
       1
FROM pairs, generate_series(1, $3 / 10) g
"""

_PUBLICATION_SQL = """
WITH t AS (SELECT id AS tenant FROM tenant WHERE slug = $1)
INSERT INTO contract_publication (tenant, consumer, consumer_version, provider, content)
SELECT v.tenant, v.service, v.id, cc.provider, cc.id
FROM service_version v JOIN t ON t.tenant = v.tenant
JOIN service s ON s.id = v.service AND s.name LIKE 'consumer-%'
JOIN contract_content cc ON cc.tenant = v.tenant AND cc.consumer = v.service
  AND cc.sha LIKE md5(cc.consumer::text || cc.provider::text || ((v.number::int - 1) / 10 + 1)) || '%'
"""

_VERIFICATION_SQL = """
WITH t AS (SELECT id AS tenant FROM tenant WHERE slug = $1)
INSERT INTO verification_result (tenant, content, consumer, provider, provider_version, success, results)
SELECT cc.tenant, cc.id, cc.consumer, cc.provider, pv.id, true, '[]'::jsonb
FROM contract_content cc JOIN t ON t.tenant = cc.tenant
JOIN contract_publication p ON p.content = cc.id
JOIN service_version cv ON cv.id = p.consumer_version
JOIN service_version pv ON pv.service = cc.provider AND pv.number = cv.number
"""

_DEPLOYMENT_SQL = """
WITH t AS (SELECT id AS tenant FROM tenant WHERE slug = $1),
env AS (
  INSERT INTO environment (tenant, name, production) SELECT t.tenant, 'production', true FROM t
  RETURNING id, tenant
)
INSERT INTO deployment (tenant, version, service, environment, deployed_at, undeployed_at, currently_deployed)
SELECT v.tenant, v.id, v.service, env.id, now() - ($2 - v.number::int) * interval '1 hour',
       CASE WHEN v.number::int = $2 THEN NULL ELSE now() - ($2 - v.number::int - 1) * interval '1 hour' END,
       v.number::int = $2
FROM service_version v JOIN env ON env.tenant = v.tenant
"""


async def build_history(server: BenchServer, *, services_per_side: int, versions_per_service: int) -> dict[str, int]:
    """Consumers and providers with `versions_per_service` versions each, contracts, verifications, deployments."""
    connection: asyncpg.Connection = await server.connect()
    try:
        async with connection.transaction():
            await connection.fetchval(_HISTORY_SQL, server.tenant_slug, services_per_side, versions_per_service)
            await connection.execute(_CONTENT_SQL, server.tenant_slug, services_per_side, versions_per_service)
            await connection.execute(_PUBLICATION_SQL, server.tenant_slug)
            await connection.execute(_VERIFICATION_SQL, server.tenant_slug)
            await connection.execute(_DEPLOYMENT_SQL, server.tenant_slug, versions_per_service)
        await connection.execute("ANALYZE")
        counts = await connection.fetchrow(
            "SELECT (SELECT count(*) FROM service_version) AS versions, "
            "(SELECT count(*) FROM contract_publication) AS publications, "
            "(SELECT count(*) FROM verification_result) AS verifications, "
            "(SELECT count(*) FROM deployment) AS deployments"
        )
        return dict(counts)
    finally:
        await connection.close()
