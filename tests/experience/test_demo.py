from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from experience.models import ExperienceReport
from groups.models import BuyerGroup
from tests.dialogues.conftest import signed_in


def test_the_demo_has_a_published_report_with_figures_shown_on_a_group_with_the_same_theme(db):
    for _ in range(2):  # idempotent
        call_command("load_demo", stdout=open("/dev/null", "w"))
    report = ExperienceReport.objects.get()
    assert report.group.slug == "digitala-trygghetslarm" and report.group.is_ended and report.is_published
    assert (report.figures["dialogues"], report.figures["suppliers"], report.figures["meetings"]) == (1, 2, 2)
    assert report.figures["small"] == 1
    same_theme = BuyerGroup.objects.get(theme=report.group.theme, outcome="")
    anna = User.objects.get(email="anna@vaxjo.demo.example")
    page = signed_in(anna).get(same_theme.get_absolute_url()).content.decode()
    assert reverse("experience:report-detail", args=[report.group.slug]) in page
    assert signed_in(None).get(report.get_absolute_url()).status_code == 200
