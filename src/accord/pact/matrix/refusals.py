"""The broker's rules, in its words, for names a matrix answer did not find: which are errors, and which kind."""

from __future__ import annotations

from accord.errors import FieldError, InvalidInput, NotFound
from accord.matrix.answer import MatrixAnswer
from accord.pact.matrix.wording import missing_version


def refuse_unknown_names(answer: MatrixAnswer) -> MatrixAnswer:
    """As `GET /matrix` and `GET /can-i-deploy`: unknown pacticipants or environment are invalid input (the
    broker's 400); a version that doesn't exist is an answer (not deployable)."""
    errors = [FieldError(detail=f"Pacticipant {name} not found", parameter="q") for name in answer.unknown_services]
    if answer.unknown_environment is not None:
        errors.append(
            FieldError(
                detail=f"Environment with name '{answer.unknown_environment}' does not exist", parameter="environment"
            )
        )
    if errors:
        raise InvalidInput(errors[0].detail, errors=errors)
    return answer


def require_found(answer: MatrixAnswer) -> MatrixAnswer:
    """For resources whose path names the version: a missing pacticipant, version or environment is a 404."""
    if answer.unknown_services:
        raise NotFound(f"No pacticipant named '{answer.unknown_services[0]}'.")
    if answer.missing_versions:
        raise NotFound(missing_version(answer.missing_versions[0]))
    if answer.unknown_environment is not None:
        raise NotFound(f"No environment named '{answer.unknown_environment}'.")
    return answer
