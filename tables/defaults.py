"""Column defaults shared by several tables."""

import datetime


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC)
