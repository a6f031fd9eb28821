from django.contrib import admin

from indicator.models import Answer, Assessment, AssessmentChange, Delegation, Statement


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """Facilitators edit the wording and the weights; answers already given keep theirs."""

    list_display = ["position", "text_sv", "weight", "is_active"]
    list_display_links = ["text_sv"]
    list_editable = ["position", "weight", "is_active"]
    list_filter = ["is_active"]


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["position", "text_sv", "weight", "rating"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read only: an authority's answers are changed by the authority, with history."""

    list_display = ["organisation", "year", "kind", "size_class", "revision", "updated_at"]
    list_filter = ["year", "kind", "size_class"]
    search_fields = ["organisation__name", "organisation__organisation_number"]
    list_select_related = ["organisation", "size_class"]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentChange)
class AssessmentChangeAdmin(admin.ModelAdmin):
    list_display = ["assessment", "revision", "changed_by", "changed_at"]
    list_select_related = ["assessment__organisation", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "user", "granted_by", "granted_at"]
    list_select_related = ["organisation", "user", "granted_by"]
    autocomplete_fields = ["organisation", "user"]
