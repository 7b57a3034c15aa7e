# Pending uploads go through the storage API: each test keeps its files under its own tmp dir.
from tests.background.conftest import media_in_tmp  # noqa: F401
