"""`vigil sla elapsed|due` on the shipped calendars (7x24, cn-business) and
on calendar files, with exact outputs, and the errors bad flags and bad
files give. Beijing time is UTC+8: 09:00+08:00 is 01:00Z."""
import pytest

from conftest import cli

CN = "cn-business"


def ok(*args):
    p = cli("sla", *args)
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    return p.stdout


def refused(code, *args):
    p = cli("sla", *args)
    assert p.returncode == code, (p.returncode, p.stdout, p.stderr)
    assert p.stdout == ""
    return p.stderr.split("\n")[0]


def test_help():
    p = cli("sla", "--help")
    assert p.returncode == 0
    assert p.stdout.startswith("usage: vigil sla elapsed --calendar CAL")
    assert "a shipped calendar (7x24, cn-business)" in p.stdout
    assert "  sla " in cli("--help").stdout


@pytest.mark.parametrize("args, out", [
    # National Day 2026: Wed 09-30 and Thu 10-08 are 7.5 h days, 10-01..07 off.
    (["--from", "2026-09-30T09:00:00+08:00", "--to", "2026-10-09T09:00:00+08:00"], "54000\n"),
    # Mon 09-28 to Mon 10-12: 09-28..30, 10-08, 10-09 and the make-up Saturday
    # 10-10: six days of 7.5 h.
    (["--from", "2026-09-28T00:00:00+08:00", "--to", "2026-10-12T00:00:00+08:00"], "162000\n"),
    # Fri 11-27 10:00 to Tue 12-01 12:00 is 17 h; the pause over the night and
    # the weekend covers Fri 16-18 and Mon 09-11: 13 h.
    (["--from", "2026-11-27T10:00:00+08:00", "--to", "2026-12-01T12:00:00+08:00",
      "--pause", "2026-11-27T16:00:00+08:00/2026-11-30T11:00:00+08:00"], "46800\n"),
    # Two overlapping pauses count once: their union runs to Mon 12:30, so Mon
    # 09-12 is paused: 12 h.
    (["--from", "2026-11-27T10:00:00+08:00", "--to", "2026-12-01T12:00:00+08:00",
      "--pause", "2026-11-27T16:00:00+08:00/2026-11-30T11:00:00+08:00",
      "--pause", "2026-11-30T10:00:00+08:00/2026-11-30T12:30:00+08:00"], "43200\n"),
    # Saturday and Sunday before 09:00 Monday: nothing.
    (["--from", "2026-11-28T00:00:00+08:00", "--to", "2026-11-30T09:00:00+08:00"], "0\n"),
])
def test_elapsed_on_business_hours(args, out):
    assert ok("elapsed", "--calendar", CN, *args) == out


def test_elapsed_7x24_is_the_span():
    assert ok("elapsed", "--calendar", "7x24", "--from", "2026-01-01T00:00:00Z",
              "--to", "2027-01-01T00:00:00Z") == "31536000\n"
    assert ok("elapsed", "--calendar", "7x24", "--from", "2026-11-27T10:00:00+08:00",
              "--to", "2026-12-01T12:00:00+08:00",
              "--pause", "2026-11-27T16:00:00+08:00/2026-11-30T11:00:00+08:00") == \
        f"{(98 - 67) * 3600}\n"


@pytest.mark.parametrize("calendar, start, target, out", [
    # Wed 09-30 17:00 + 4 h: 1 h, the holiday week, Thu 10-08 09:00-12:00.
    (CN, "2026-09-30T17:00:00+08:00", "4h", "2026-10-08T04:00:00.000Z"),
    # Sat 09-19 + 4 h: Sun 09-20 is a make-up day, 09-12 and 13:30-14:30.
    (CN, "2026-09-19T10:00:00+08:00", "4h", "2026-09-20T06:30:00.000Z"),
    # Fri 19:00 is after hours: the clock starts Monday 09:00.
    (CN, "2026-11-27T19:00:00+08:00", "30m", "2026-11-30T01:30:00.000Z"),
    # Used up exactly at the 18:00 close: due 18:00, not the next morning.
    (CN, "2026-12-02T16:00:00+08:00", "2h", "2026-12-02T10:00:00.000Z"),
    # 2d is 48 h of working time: 37.5 h that week, 7.5 h Monday, 3 h Tuesday.
    (CN, "2026-12-07T09:00:00+08:00", "2d", "2026-12-15T04:00:00.000Z"),
    (CN, "2026-12-02T16:00:00+08:00", "1h30m", "2026-12-02T09:30:00.000Z"),
    ("7x24", "2026-12-04T17:00:00+08:00", "4h", "2026-12-04T13:00:00.000Z"),
    ("7x24", "2026-12-31T23:30:00.250Z", "1h", "2027-01-01T00:30:00.250Z"),
])
def test_due(calendar, start, target, out):
    assert ok("due", "--calendar", calendar, "--from", start, "--target", target) == out + "\n"


def test_a_calendar_file_in_another_zone(tmp_path):
    path = tmp_path / "ny.yaml"
    path.write_text('timezone: America/New_York\nhours:\n'
                    + "".join(f'  {d}: ["09:00-17:00"]\n' for d in
                              ("mon", "tue", "wed", "thu", "fri")))
    # Mon 03-09 16:00 EDT + 2 h: 1 h, then Tue 09:00-10:00 EDT = 14:00Z (the
    # clocks went forward on Sunday 03-08; a fixed UTC-5 would say 15:00Z).
    assert ok("due", "--calendar", str(path), "--from", "2026-03-09T16:00:00-04:00",
              "--target", "2h") == "2026-03-10T14:00:00.000Z\n"
    # Fri 09:00 EST to Mon 17:00 EDT: two days of 8 h.
    assert ok("elapsed", "--calendar", str(path), "--from", "2026-03-06T09:00:00-05:00",
              "--to", "2026-03-09T17:00:00-04:00") == "57600\n"


def test_bad_flags_exit_2():
    base = ["--calendar", CN, "--from", "2026-12-01T09:00:00Z"]
    assert refused(2) == "vigil: give elapsed or due"
    assert refused(2, "frob") == "vigil: give elapsed or due"
    assert refused(2, "due", "--bogus") == "vigil: unknown option --bogus"
    assert refused(2, "due", *base) == "vigil: due needs --calendar, --from and --target"
    assert refused(2, "elapsed", *base) == "vigil: elapsed needs --calendar, --from and --to"
    assert refused(2, "due", "--calendar", CN, "--from", "yesterday", "--target", "4h") == \
        'vigil: --from: "yesterday" is not an ISO 8601 instant'
    assert refused(2, "elapsed", *base, "--to", "2026-12-01T09:00:00") == \
        'vigil: --to: "2026-12-01T09:00:00" is not an ISO 8601 instant'
    assert refused(2, "elapsed", *base, "--to", "2026-11-30T09:00:00Z") == \
        "vigil: --to is before --from"
    assert refused(2, "due", *base, "--target", "4") == \
        'vigil: --target: "4" is not a duration like 4h, 30m, 2d or 1h30m (at most 20 years)'
    assert refused(2, "due", *base, "--target", "4h", "--to", "2026-12-02T00:00:00Z") == \
        "vigil: --to and --pause are for elapsed"
    assert refused(2, "elapsed", *base, "--to", "2026-12-02T00:00:00Z", "--target", "4h") == \
        "vigil: --target is for due"
    assert refused(2, "elapsed", *base, "--to", "2026-12-02T00:00:00Z",
                   "--pause", "2026-12-01T10:00:00Z") == \
        'vigil: --pause: "2026-12-01T10:00:00Z" is not FROM/TO'
    assert refused(2, "elapsed", *base, "--to", "2026-12-02T00:00:00Z",
                   "--pause", "2026-12-01T10:00:00Z/noon") == \
        'vigil: --pause: "2026-12-01T10:00:00Z/noon" is not FROM/TO (two ISO 8601 instants)'
    assert refused(2, "elapsed", *base, "--to", "2026-12-02T00:00:00Z",
                   "--pause", "2026-12-01T10:00:00Z/2026-12-01T09:30:00Z") == \
        'vigil: --pause: "2026-12-01T10:00:00Z/2026-12-01T09:30:00Z" ends before it starts'
    assert refused(2, "elapsed", "--calendar", "7x24", "--from", "2026-01-01T00:00:00Z",
                   "--to", "2046-01-02T00:00:00Z") == "vigil: the span is longer than 20 years"
    assert refused(2, "due", "--calendar", "cn-busines", "--from", "2026-12-01T09:00:00Z",
                   "--target", "4h") == \
        'vigil: --calendar: "cn-busines" is neither a shipped calendar (7x24, cn-business) ' \
        'nor a file'


@pytest.mark.parametrize("text, message", [
    ('timezone: UTC\nhours:\n  mon: ["09:00-12:00", "11:00-13:00"]\n',
     'hours.mon: "11:00-13:00" starts before the interval before it ends: list intervals '
     'in order, without overlaps'),
    ('timezone: UTC\nhours:\n  mon: ["09:00-25:00"]\n',
     'hours.mon: "09:00-25:00" is not an interval HH:MM-HH:MM'),
    ('timezone: UTC\nhours:\n  mon: ["12:00-09:00"]\n',
     'hours.mon: "12:00-09:00" does not end after it starts'),
    ('timezone: UTC\nhours:\n  lundi: []\n',
     'hours: unknown weekday "lundi" (mon, tue, wed, thu, fri, sat, sun)'),
    ('timezone: UTC\nhours: {}\nholydays: []\n',
     'unknown field "holydays" (timezone, hours, holidays, workdays)'),
    ('timezone: UTC\nhours: {}\nholidays: ["2026-13-01"]\n',
     'holidays: "2026-13-01" is not a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD'),
    ('timezone: Asia/Beijing\n', 'timezone: unknown time zone "Asia/Beijing"'),
    ('timezone: UTC\nholidays: ["2026-10-01..2026-10-07"]\nworkdays: ["2026-10-07"]\n',
     'workdays: 2026-10-07 is also a holiday'),
])
def test_bad_calendar_files_exit_2_naming_the_line(tmp_path, text, message):
    path = tmp_path / "cal.yaml"
    path.write_text(text)
    line = text.count("\n")
    assert refused(2, "due", "--calendar", str(path), "--from", "2026-12-01T09:00:00Z",
                   "--target", "1h") == f"vigil: {path}:{line}: {message}"


def test_a_calendar_that_never_works(tmp_path):
    path = tmp_path / "never.yaml"
    path.write_text("timezone: UTC\n")
    assert ok("elapsed", "--calendar", str(path), "--from", "2026-01-01T00:00:00Z",
              "--to", "2027-01-01T00:00:00Z") == "0\n"
    assert refused(2, "due", "--calendar", str(path), "--from", "2026-01-01T00:00:00Z",
                   "--target", "1s") == \
        "vigil: the target is not reached within 20 years on this calendar"


def test_an_unreadable_calendar_file_exits_1(tmp_path):
    assert refused(1, "due", "--calendar", str(tmp_path), "--from", "2026-12-01T09:00:00Z",
                   "--target", "1h") == f"vigil: cannot read {tmp_path}: Is a directory"
