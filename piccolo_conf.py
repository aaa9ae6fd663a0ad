"""Piccolo's configuration: the engine comes from Accord's settings, never from literals here."""

from piccolo.conf.apps import AppRegistry

from accord.db.engine import AccordPostgresEngine
from accord.db.url import configured_database_url

# extensions=() because Piccolo would otherwise connect at import time to create them, and
# importing this module must work while the database is down; migration 1 creates `vector`.
DB = AccordPostgresEngine(config={"dsn": configured_database_url()}, extensions=())

APP_REGISTRY = AppRegistry(
    apps=[
        "tables.piccolo_app",
        "piccolo.apps.user.piccolo_app",
        "piccolo_api.session_auth.piccolo_app",
    ]
)
