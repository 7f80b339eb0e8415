"""Where the project and the shared test material are."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_OVERRIDE = os.environ.get("HALLWAY_SHARED")
SHARED = Path(_OVERRIDE) if _OVERRIDE else ROOT.parent / "shared"
if SHARED.name == "catalogues":  # pointed at the catalogues folder itself
    SHARED = SHARED.parent
ACTIVITIES = SHARED / "activities"
CATALOGUES = SHARED / "catalogues"
SCHEMAS = SHARED / "schemas"
