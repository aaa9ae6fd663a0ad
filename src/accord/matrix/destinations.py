"""Matrix queries that ask whether versions can go somewhere: the rules for reading the rows of each destination.

Toward an environment every version deployed there counts on its own (`cvpv`), as the broker does since its
issue #903; toward a tag, or the heads of main branches, only the newest provider version that verified counts
(`cvp`).
"""

from __future__ import annotations

from accord.matrix.query import IgnoreSelector, MatrixQuery, Selector


def to_environment(selector: Selector, environment: str, ignore: tuple[IgnoreSelector, ...] = ()) -> MatrixQuery:
    return MatrixQuery(selectors=(selector,), environment=environment, latestby="cvpv", ignore=ignore)


def to_latest_tagged(selector: Selector, tag: str, ignore: tuple[IgnoreSelector, ...] = ()) -> MatrixQuery:
    """Against the latest versions with `tag` of every service it integrates with."""
    return MatrixQuery(selectors=(selector,), tag=tag, latest=True, latestby="cvp", ignore=ignore)


def branch_head(service: str, branch: str) -> Selector:
    return Selector(service=service, branch=branch, latest=True)


def latest_tagged(service: str, tag: str) -> Selector:
    return Selector(service=service, tag=tag, latest=True)


def main_branch_heads(service: str) -> MatrixQuery:
    """The head of the service's main branch against the heads of the main branches it integrates with."""
    selector = Selector(service=service, main_branch=True, latest=True)
    return MatrixQuery(selectors=(selector,), main_branch=True, latest=True, latestby="cvp")
