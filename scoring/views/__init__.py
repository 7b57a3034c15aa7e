"""Evaluation pages, one module per screen. Every view under an evaluation starts from scoring.access."""
