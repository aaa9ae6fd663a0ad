"""The docs page at /schema loads its viewer from Accord itself (a pinned package), never from a CDN."""

from __future__ import annotations

import re
from typing import Any


def test_the_docs_page_loads_only_accords_own_files(client: Any) -> None:
    page = client.get("/schema")

    assert page.status_code == 200
    sources = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert sources
    assert all(source.startswith("/schema/assets/") for source in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_the_viewers_licence_is_served_beside_it(client: Any) -> None:
    licence = client.get("/schema/assets/LICENSE")

    assert licence.status_code == 200
    assert "Apache License" in licence.text
