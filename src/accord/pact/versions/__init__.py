"""Versions of pacticipants, their tags and branches as the Pact API addresses them, over the native version
history and version labels."""
