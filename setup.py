"""Build hook: the top-level `resources/` folder (icons, style sheet, examples; see the design card) is copied into
the package as `ics_workbench/resources` when a wheel is built, so wheels, the air-gapped bundles and the frozen
app carry it. An editable install (`make setup`) copies nothing: `paths.resource_dir()` finds `resources/` in the
checkout. Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not (RESOURCES / "icons").is_dir():
            raise SystemExit(f"{RESOURCES} is missing: the package would ship without icons and examples")
        shutil.copytree(RESOURCES, Path(self.build_lib) / "ics_workbench" / "resources", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithResources})
