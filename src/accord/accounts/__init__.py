"""Human accounts: users, their memberships of tenants, sessions and invitations."""
