"""Consensio: a platform for negotiating treaties by consensus."""

__version__ = "0.1.0"
