import datetime

import pytest
from django.utils import timezone

from grants.models import Signatory
from tests.factories import ApplicationFactory, DecisionFactory, staff
from workflow.states import Role


@pytest.fixture
def award_setup(db):
    """An application in co-funding check, an officer who prepared an award and a decider with a signatory entry."""
    application = ApplicationFactory(
        cofunding_check=True,
        amount=__import__("decimal").Decimal("12345.00"),
        # The letter arrives before the project period begins, so the advance is due on the start date.
        project_start=timezone.localdate() + datetime.timedelta(days=30),
        project_end=timezone.localdate() + datetime.timedelta(days=395),
    )
    funder = application.scheme.funder
    officer = staff(funder, Role.OFFICER)
    decider = staff(funder, Role.DECIDER, first_name="Marieke", last_name="Jansen")
    Signatory.objects.create(
        funder=funder,
        user=decider,
        name="drs. M. Jansen",
        job_title="afdelingshoofd Onderwijs",
        mandate_line="namens het college van burgemeester en wethouders van Teststad",
    )
    decision = DecisionFactory(application=application, prepared_by=officer, amount=application.requested_amount)
    return {"application": application, "funder": funder, "officer": officer, "decider": decider, "decision": decision}
