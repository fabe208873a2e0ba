"""The case ledger (依申请公开台账): requests as dated events, the statutory clock with its working
shown, fees, and the annual tables computed from the cases.

Plain Python, no Django: the web app, the command line and the spreadsheet bridge all call this.

    from gongkai.ledger import Request, Received, Decided, clock
    r = Request("2025-001", "natural_person", [Received(date(2025, 9, 26), channel="online")])
    r.add(Decided(date(2025, 10, 20), outcome="granted"))      # one staff step; refused if impossible
    c = clock(r, today=date(2025, 10, 9))                      # due date, status, c.explain()

See ``docs/ledger.md``.
"""

from __future__ import annotations

from .catalogue import APPLICANT_KINDS, CHANNELS, CONSULTED, OUTCOMES, REMEDIES, Channel, Outcome, outcome_for
from .clock import STATUS_ZH, Clock, Moved, Pause, clock, due_list, redate
from .days import WorkingDays, calendar_version, working_days
from .events import (
    CLOSING,
    EVENT_TYPES,
    FEE_METHODS,
    ConsultationAnswered,
    ConsultationStarted,
    Corrected,
    CorrectionRequested,
    Decided,
    Delivered,
    Event,
    Extended,
    FeeNotice,
    FeeNotPaid,
    FeePaid,
    LedgerError,
    LongerPeriod,
    NoCorrection,
    ReasonsAsked,
    Received,
    Withdrawn,
    event_from_dict,
)
from .fees import FeeStatement, FeeWorking, fee_by_pages, fee_by_pieces, fee_statement, payment_deadline, piece_fees
from .records import Appeal, DecisionCount, FeeIncome, RegisteredDocument, Registers
from .request import MAX_EXTENSION, Request, State
from .sheet import LedgerBook, RowProblem, read_ledger
from .tally import Tally, overview_text, tally

__all__ = [
    "APPLICANT_KINDS",
    "CHANNELS",
    "CLOSING",
    "CONSULTED",
    "EVENT_TYPES",
    "FEE_METHODS",
    "MAX_EXTENSION",
    "OUTCOMES",
    "REMEDIES",
    "STATUS_ZH",
    "Appeal",
    "Channel",
    "Clock",
    "ConsultationAnswered",
    "ConsultationStarted",
    "Corrected",
    "CorrectionRequested",
    "Decided",
    "DecisionCount",
    "Delivered",
    "Event",
    "Extended",
    "FeeIncome",
    "FeeNotPaid",
    "FeeNotice",
    "FeePaid",
    "FeeStatement",
    "FeeWorking",
    "LedgerBook",
    "LedgerError",
    "LongerPeriod",
    "Moved",
    "NoCorrection",
    "Outcome",
    "Pause",
    "ReasonsAsked",
    "Received",
    "RegisteredDocument",
    "Registers",
    "Request",
    "RowProblem",
    "State",
    "Tally",
    "Withdrawn",
    "WorkingDays",
    "calendar_version",
    "clock",
    "due_list",
    "event_from_dict",
    "fee_by_pages",
    "fee_by_pieces",
    "fee_statement",
    "outcome_for",
    "overview_text",
    "payment_deadline",
    "piece_fees",
    "read_ledger",
    "redate",
    "tally",
    "working_days",
]
