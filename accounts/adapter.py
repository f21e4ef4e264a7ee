from io import BytesIO

import qrcode
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from qrcode.image.svg import SvgPathFillImage

from accounts import ratelimits
from forum.addresses import request_hashes

# Modules of light margin around a QR code; the QR specification asks for at least 4.
QR_QUIET_ZONE = 4


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


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        """The QR code on its own white square, with the 4-module quiet zone scanners need.

        allauth's is transparent: on the night theme's dark page, black modules on near-black
        cannot be scanned. The CSS (.qr-code) adds a white frame too, for both themes.
        """
        qr = qrcode.QRCode(border=QR_QUIET_ZONE, image_factory=SvgPathFillImage)
        qr.add_data(url)
        buffer = BytesIO()
        qr.make_image().save(buffer)
        return buffer.getvalue().decode("utf8")
