import pytest


@pytest.fixture
def seeded(db):
    """Everything in support/content/, loaded the way `manage.py seed` loads it."""
    from support import seed

    seed.run()
