"""A worker killed at each step of sending, then the recovery path: no duplicate, no unexplained gap."""

import pytest

from fiscal import issuing, outcomes
from fiscal.issuing import advance_invoice, issue_invoice
from fiscal.models import InvoiceStatus as S
from fiscal.sefaz.client import SefazClient
from tests.fiscal.sefaz_fixtures import *  # noqa: F401,F403 - fixtures
from tests.fiscal.sefaz_fixtures import authorizations, time_passes


class WorkerKilled(BaseException):
    """Like os._exit for the code under test: nothing after the crash point runs, no handler catches it."""


def _recover(invoice, client):
    """The reconciler after a restart: drive the invoice until it settles (bounded)."""
    for _ in range(4):
        invoice = advance_invoice(time_passes(invoice), client=client)
        if invoice.status not in (S.SIGNED, S.SENDING, S.UNKNOWN, S.PROCESSING):
            break
    return invoice


def _crash_in(monkeypatch, target, name, *, after: bool):
    real = getattr(target, name)

    def crashing(*args, **kwargs):
        if not after:
            raise WorkerKilled(name)
        real(*args, **kwargs)
        raise WorkerKilled(name)

    monkeypatch.setattr(target, name, crashing)


@pytest.mark.parametrize("step", ["before_request", "request_sent", "reply_received", "nfeproc_stored"])
def test_a_crash_at_each_sending_step_ends_with_exactly_one_authorization(
        step, monkeypatch, sandbox, sandbox_client, make_invoice):
    if step == "before_request":
        _crash_in(monkeypatch, SefazClient, "authorize", after=False)
    elif step == "request_sent":
        _crash_in(monkeypatch, SefazClient, "authorize", after=True)
    elif step == "reply_received":
        _crash_in(monkeypatch, issuing, "record_reply", after=False)
    else:  # the nfeProc is stored, the AUTHORIZED status is not yet written
        _crash_in(monkeypatch, outcomes, "transition", after=False)
    invoice = make_invoice(1)
    with pytest.raises(WorkerKilled):
        issue_invoice(invoice, client=sandbox_client)
    monkeypatch.undo()
    invoice.refresh_from_db()
    assert invoice.status == S.SENDING
    invoice = _recover(invoice, sandbox_client)
    assert invoice.status == S.AUTHORIZED and invoice.authorized_xml
    assert authorizations(sandbox, invoice.access_key) == 1


def test_a_crash_after_the_authorized_state_is_written_needs_no_recovery(sandbox, sandbox_client, make_invoice):
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    assert _recover(invoice, sandbox_client).status == S.AUTHORIZED
    assert invoice.events.filter(kind="sefaz").count() == 1  # recovery made no call
