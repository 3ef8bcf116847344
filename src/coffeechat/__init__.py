"""Prepare coffee chats that lead to referrals, from a folder of Markdown notes."""

from __future__ import annotations

__version__ = "0.1.0"
