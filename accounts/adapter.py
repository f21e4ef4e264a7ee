from allauth.account.adapter import DefaultAccountAdapter

from accounts import ratelimits
from forum.addresses import request_hashes


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """allauth keys its rate limits by client address: give it the keyed hash instead.

        So no raw address reaches Redis either (privacy rules), and the address is resolved by
        the same TRUSTED_PROXY_COUNT rule as everywhere else in Yoake.
        """
        return request_hashes(request).address

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth counts the failure per address; accounts.ratelimits per username, so that
        failures from elsewhere cannot lock the owner out."""
        super().pre_authenticate(request, **credentials)
        username = credentials.get("email", credentials.get("username", ""))
        self._sign_in_usage = ratelimits.count_failed_sign_in(request, username)
        if self._sign_in_usage is None:
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user:
            # The right password is not a failure: give back what pre_authenticate counted, as
            # allauth does for its own count (clearing it would let a guesser reset the count).
            self._sign_in_usage.rollback()
        return user
