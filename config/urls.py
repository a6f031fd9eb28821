from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from core.health import health
from home import views as home_views
from moderation import views as moderation_views

# The admin has no sign-in of its own: its sign-in page sends to the site's (allauth: rate limits,
# two-factor), and accounts.middleware.TwoFactorMiddleware holds staff to two-factor on every page.
admin.site.login = account_views.admin_sign_in

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accessibility/", home_views.accessibility_statement, name="accessibility"),
    path("language/", account_views.language_set, name="language-set"),
    path("health/", health, name="health"),
    path("status/", home_views.system_status, name="status"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("groups/", include("groups.urls")),
    path("dialogues/", include("dialogues.urls")),
    path("indicator/", include("indicator.urls")),
    path("notifications/", include("notifications.urls")),
    path("guidance/", include("guidance.urls")),
    # Hiding a message is moderation's (it resolves the reports about it), at the discussion's address.
    path("threads/messages/<int:pk>/moderate/", moderation_views.message_moderate, name="message-moderate"),
    path("threads/", include("discussions.urls")),
    path("audit/", include("audit.urls")),
    path("search/", include("search.urls")),
    path("experience/", include("experience.urls")),
    path("api/v1/", include("api.urls")),
    path("feeds/", include("api.feed_urls")),
    path("moderation/", include("moderation.urls")),
    path("facilitator/", moderation_views.facilitator_console, name="facilitator-console"),
    path("", include("home.urls")),
    path("", include("accounts.urls")),
]

handler403 = "home.views.permission_denied"
handler429 = "home.views.too_many_requests"
