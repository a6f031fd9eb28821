from django.contrib import admin

from notifications.models import Notification, NotificationPreference, OutgoingEmail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "email_state", "delivered_at", "read_at", "attempts"]
    list_filter = ["kind", "email_state"]
    search_fields = ["recipient__email", "dedupe_key"]
    raw_id_fields = ["recipient", "actor"]
    readonly_fields = ["created_at", "delivered_at", "emailed_at", "last_error"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "sent_at", "attempts"]
    search_fields = ["to", "subject"]
    readonly_fields = ["created_at", "sent_at", "last_error"]


admin.site.register(NotificationPreference)
