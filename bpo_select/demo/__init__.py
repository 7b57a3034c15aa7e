"""Fictional demo data for `manage.py seed_demo`: the market (market.py) and the evaluations
that use it (evaluations.py). Demo only: never load it into a production database.
"""
