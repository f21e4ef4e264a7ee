"""What an unreachable server raises, named once for every room that answers an outage calmly.

A leaf module: it imports only Django, so support/, realtime/ and forum/ may all use it.
"""

from django.db.utils import InterfaceError, OperationalError

# What a PostgreSQL that does not answer raises: refused, lost, or gone mid-query.
DATABASE_DOWN = (OperationalError, InterfaceError)
