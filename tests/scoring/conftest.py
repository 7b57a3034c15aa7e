# Archived PDFs go through the storage API: each test writes its files under its own tmp dir.
from tests.background.conftest import media_in_tmp  # noqa: F401
