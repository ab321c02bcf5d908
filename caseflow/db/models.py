"""Imports every domain's models so that metadata (Alembic, tests) sees all tables."""

from caseflow.alerts import models as _alerts  # noqa: F401
from caseflow.auth import models as _auth  # noqa: F401
from caseflow.cases import discretion_rows as _discretion_rows  # noqa: F401
from caseflow.cases import models as _cases  # noqa: F401
from caseflow.casefile import models as _casefile  # noqa: F401
from caseflow.db.base import Base
from caseflow.deadlines import models as _deadlines  # noqa: F401
from caseflow.documents import models as _documents  # noqa: F401
from caseflow.evidence import models as _evidence  # noqa: F401
from caseflow.holidays import models as _holidays  # noqa: F401
from caseflow.numbering import models as _numbering  # noqa: F401
from caseflow.org import models as _org  # noqa: F401
from caseflow.parties import models as _parties  # noqa: F401
from caseflow.publication import models as _publication  # noqa: F401

metadata = Base.metadata
