from allauth.account.adapter import DefaultAccountAdapter

from forum.addresses import request_hashes


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """allauth keys its rate limits by client address: give it the keyed hash instead.

        So no raw address reaches Redis either (privacy rules), and the address is resolved by
        the same TRUSTED_PROXY_COUNT rule as everywhere else in Yoake.
        """
        return request_hashes(request).address
