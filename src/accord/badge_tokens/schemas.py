from __future__ import annotations

import msgspec


class BadgeTokenView(msgspec.Struct, kw_only=True):
    """The token and the prefix every public badge URL starts with (append a badge path of the Pact API,
    e.g. `/pacts/provider/{provider}/consumer/{consumer}/latest/badge`)."""

    token: str
    badge_base_url: str
