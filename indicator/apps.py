from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorConfig(AppConfig):
    name = "indicator"
    verbose_name = _("Goal 5 indicator")
