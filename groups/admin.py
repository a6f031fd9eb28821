from django.contrib import admin

from groups.models import ThemeFollow

admin.site.register(ThemeFollow)
