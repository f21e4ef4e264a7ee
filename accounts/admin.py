from django.contrib import admin

from accounts.staff import require_mfa

# Accounts themselves are edited in the auth app's admin; this module only guards the admin.
require_mfa(admin.site)
