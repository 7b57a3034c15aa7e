import pytest

from scoring import decision as decision_module
from scoring import stability
from scoring.reports import snapshot

# Archived PDFs go through the storage API: each test writes its files under its own tmp dir.


@pytest.fixture
def decides(monkeypatch):
    """Whether each decide() a page, a task or an approval makes draws (sensitivity), in order."""
    calls = []
    real = decision_module.decide

    def counting(inputs, **kwargs):
        calls.append(kwargs.get("sensitivity", True))
        return real(inputs, **kwargs)

    for module in (decision_module, snapshot, stability):
        monkeypatch.setattr(module, "decide", counting)
    return calls
