"""Rasd (رصد): a multilingual news-intelligence engine."""

__version__ = "0.1.0"
