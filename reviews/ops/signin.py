"""
Sign-in throttling behind proxies (django-axes): whose address a request is,
and when an address or a user name from it is locked out.

Two limits hold at once. Failures for one user name from one address lock
that pair (``AXES_FAILURE_LIMIT``): a stranger guessing elsewhere never
locks the real user out. Failures from one address across every user name
lock the address (``SIGNIN_ADDRESS_FAILURE_LIMIT``, higher, as several
editors may share an office's address): trying one password on many names,
password spraying, is throttled too.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings


def valid_address(value):
    """``value`` when it is a bare IPv4 or IPv6 address, else None."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """
    The address the request came from: the one the outermost trusted proxy
    put in X-Forwarded-For, or the connection's own address without proxies.
    Addresses further left were written by the client and prove nothing. A
    hop that is not a bare address (``10.0.0.1:1234``, ``not-an-ip``) or a
    header with fewer hops than proxies is not believed either: the address
    is then the connection's, the nearest proxy's.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(hops) >= count and (address := valid_address(hops[-count])):
            return address
    return valid_address(request.META.get("REMOTE_ADDR", ""))


class SigninThrottle(AxesDatabaseHandler):
    """
    axes's database handler with the two limits above. With
    ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]``
    axes hands over the pair's attempts first and the address's second.
    """

    def get_failures(self, request, credentials=None):
        pair, address = (
            sum(attempts.values_list("failures_since_start", flat=True))
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
            # axes compares this with the pair's limit: the whole address is
            # locked, whatever user name it tries next.
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def reset_user_attempts(self, request, credentials=None):
        # A success resets its own user name only: otherwise a sprayer with
        # one account of their own would clear the address's count with it.
        pair, _address = self.filter_user_attempts(request, credentials)
        count, _ = pair.delete()
        return count
