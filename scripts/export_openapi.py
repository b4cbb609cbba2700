"""Write the HTTP service's OpenAPI schema to docs/openapi.json (a test checks it is current).

python scripts/export_openapi.py
"""

from __future__ import annotations

import json
from pathlib import Path

from provenance.service import openapi_schema

TARGET = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def main() -> None:
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(json.dumps(openapi_schema(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
