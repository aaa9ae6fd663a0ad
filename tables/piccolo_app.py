"""Accord's one Piccolo app: every table, migrations in the top-level piccolo_migrations/."""

import os

from piccolo.conf.apps import AppConfig

from tables.api_key import ApiKey
from tables.tenant import Tenant

_HERE = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="accord",
    migrations_folder_path=os.path.join(_HERE, "..", "piccolo_migrations"),
    table_classes=[Tenant, ApiKey],
    migration_dependencies=[],
    commands=[],
)
