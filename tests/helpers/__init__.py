"""Shared test helpers for the minilib test suite."""
