"""A tenant's public badge token: README badges load with it and no key; it reads badges and nothing else."""
