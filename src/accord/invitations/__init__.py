"""Invitations: a one-time link an admin hands to someone so they can join a tenant with a role."""
