"""The media types a spec is uploaded in, and the one each stored format is sent back in."""

from __future__ import annotations

from accord.http.content_types import UnsupportedMediaType
from accord.specs.documents import SourceFormat

YAML_MEDIA_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "application/vnd.oai.openapi")
JSON_MEDIA_TYPES = ("application/json", "application/vnd.oai.openapi+json")
SPEC_MEDIA_TYPES = JSON_MEDIA_TYPES + YAML_MEDIA_TYPES

MEDIA_TYPE_OF_FORMAT: dict[SourceFormat, str] = {"json": "application/json", "yaml": "application/yaml"}


def source_format_of(content_type: str | None) -> SourceFormat:
    """json or yaml, from a Content-Type header; UnsupportedMediaType (415) for anything else."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type in YAML_MEDIA_TYPES:
        return "yaml"
    if media_type in JSON_MEDIA_TYPES or (media_type.startswith("application/") and media_type.endswith("+json")):
        return "json"
    raise UnsupportedMediaType(
        f"Send the document as {' or '.join(SPEC_MEDIA_TYPES)}, not {media_type or 'an unspecified type'}."
    )
