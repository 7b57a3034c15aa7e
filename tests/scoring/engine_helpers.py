"""The small decision matrix and directions shared by the scoring engine tests
(test_engine.py and test_engine_checks.py)."""

import pandas as pd


def vendors() -> pd.DataFrame:
    return pd.DataFrame(
        {"price": [100.0, 200.0, 150.0], "quality": [8.0, 10.0, 6.0]},
        index=["Acme", "Bolt", "Crux"],
    )


DIRECTIONS = {"price": "cost", "quality": "benefit"}
