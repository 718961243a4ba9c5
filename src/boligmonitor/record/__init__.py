"""The published record of the statutory lists 2010-2024: lists, area identity, history."""

__all__ = ["OFFICIAL"]

#: The history source meaning "the published record".
OFFICIAL = "official"
