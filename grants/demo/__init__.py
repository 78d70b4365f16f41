"""Demo data modelled on real Dutch programmes; built by ``manage.py seed_demo``."""
