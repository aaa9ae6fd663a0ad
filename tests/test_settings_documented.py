"""Every ACCORD_* setting that settings.py reads has a row in the README's configuration table."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT


def test_every_setting_has_a_readme_row() -> None:
    source = (REPO_ROOT / "src" / "accord" / "settings.py").read_text()
    read = set(re.findall(r'"(ACCORD_[A-Z_]+)"', source))
    readme = (REPO_ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `(ACCORD_[A-Z_]+)`", readme, flags=re.MULTILINE))
    documented |= set(re.findall(r"^\| `ACCORD_[A-Z_]+`, `(ACCORD_[A-Z_]+)`", readme, flags=re.MULTILINE))
    assert read - documented == set()
