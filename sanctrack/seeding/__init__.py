"""Reference data every database gets: states, taxonomy, units, provisions."""

from sanctrack.seeding.reference import SeedError, reference_data
from sanctrack.seeding.sync import seed, seeded

__all__ = ["SeedError", "reference_data", "seed", "seeded"]
