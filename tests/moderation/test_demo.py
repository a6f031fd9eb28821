from django.core.management import call_command

from accounts.models import CodeOfConductAcceptance
from moderation.models import Report


def test_the_demo_has_one_open_report_and_people_who_accepted_the_code(db):
    for _ in range(2):
        call_command("load_demo", stdout=open("/dev/null", "w"))
    assert Report.objects.open().count() == 1
    assert CodeOfConductAcceptance.objects.filter(user__is_demo=True).count() == 8
