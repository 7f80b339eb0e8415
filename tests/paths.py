"""Where the project and the shared test material are."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HALLWAY_SHARED", ROOT.parent / "shared"))
ACTIVITIES = SHARED / "activities"
CATALOGUES = SHARED / "catalogues"
SCHEMAS = SHARED / "schemas"
