from __future__ import annotations

from coffeechat.cli import cli

cli()
