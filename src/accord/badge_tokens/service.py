"""Show (creating on first use) and rotate the tenant's badge token."""

from __future__ import annotations

import secrets

from accord.badge_tokens.repository import BadgeTokenRepository
from accord.badge_tokens.schemas import BadgeTokenView

BADGE_PATH_PREFIX = "/badges"


def badge_base_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}{BADGE_PATH_PREFIX}/{token}"


def _new_token() -> str:
    return "bdg_" + secrets.token_urlsafe(24)


class BadgeTokenService:
    def __init__(self, repository: BadgeTokenRepository) -> None:
        self.repository = repository

    async def show(self, base_url: str) -> BadgeTokenView:
        token = await self.repository.current() or await self.repository.create_if_missing(_new_token())
        return BadgeTokenView(token=token, badge_base_url=badge_base_url(base_url, token))

    async def rotate(self, base_url: str) -> BadgeTokenView:
        """A new token; badge URLs with the old one stop working at once."""
        token = await self.repository.replace(_new_token())
        return BadgeTokenView(token=token, badge_base_url=badge_base_url(base_url, token))
