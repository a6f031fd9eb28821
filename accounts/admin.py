from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import (
    DomainJoinRequest,
    Invitation,
    Organisation,
    OrganisationDomain,
    OrganisationMember,
    SizeClass,
    User,
)


class OrganisationMemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "title", "language", "is_active", "deleted_at"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "title", "language"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation_number", "status", "size_class"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "organisation_number"]
    inlines = [OrganisationMemberInline]


@admin.register(SizeClass)
class SizeClassAdmin(admin.ModelAdmin):
    list_display = ["name", "min_employees", "max_employees", "position"]


admin.site.register(Invitation)
admin.site.register(OrganisationDomain)
admin.site.register(DomainJoinRequest)
