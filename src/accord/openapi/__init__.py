"""OpenAPI documents as specs, the static checker and the spec diff all read them: JSON pointers, `$ref`s,
operations."""
