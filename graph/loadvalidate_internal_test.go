package graph

import (
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// Cells written by other tools: date-times without a zone (read as UTC),
// with a space for the T or without seconds, a date alone as a date-time (the
// start of its UTC day), a date-time as a date (its date as written), booleans and enum values in any case (stored in
// the format's spelling); what is still refused stays refused.
func TestParseCellLenientForms(t *testing.T) {
	at := probity.Column{Name: "at", Type: probity.TypeDateTime}
	start := probity.Column{Name: "start", Type: probity.TypeTime}
	poi := probity.Column{Name: "poi", Type: probity.TypeBool}
	channel := probity.Column{Name: "channel", Type: probity.TypeEnum, Enum: probity.Channels}
	finding := probity.Column{Name: "finding", Type: probity.TypeEnum, Enum: probity.ComplaintFindings}
	utcAt := func(s string) time.Time { t, _ := time.Parse(time.RFC3339Nano, s); return t }
	on := probity.Column{Name: "declared_on", Type: probity.TypeDate}
	date := func(s string) neo4j.Date { t, _ := time.Parse("2006-01-02", s); return neo4j.DateOf(t) }
	name := probity.Column{Name: "name", Type: probity.TypeText}
	id := probity.Column{Name: "person_id", Type: probity.TypeID}
	for _, c := range []struct {
		col  probity.Column
		in   string
		want any // nil: refused
	}{
		{at, "2024-03-01T10:00:00Z", utcAt("2024-03-01T10:00:00Z")},
		{at, "2024-03-01T10:00:00+01:00", utcAt("2024-03-01T09:00:00Z")},
		{at, "2024-03-01t10:00:00z", utcAt("2024-03-01T10:00:00Z")}, // RFC 3339 5.6: t and z may be lower case
		{at, "2024-03-01t23:30:00.5-02:00", utcAt("2024-03-02T01:30:00.5Z")},
		{at, "2024-03-01T10:00:00", utcAt("2024-03-01T10:00:00Z")},
		{at, "2024-03-01T10:00:00.250", utcAt("2024-03-01T10:00:00.25Z")},
		{at, "2024-03-01 10:00:00", utcAt("2024-03-01T10:00:00Z")},
		{at, "2024-03-01 23:30:00-02:00", utcAt("2024-03-02T01:30:00Z")},
		{at, "2024-03-01 10:00", utcAt("2024-03-01T10:00:00Z")},
		{at, "2024-03-01T10:00+01:00", utcAt("2024-03-01T09:00:00Z")},
		{at, "2024-03-01", utcAt("2024-03-01T00:00:00Z")},
		{at, "01/03/2024 10:00:00", nil},
		{at, "2024-03-01T10:00:00+14:00", utcAt("2024-02-29T20:00:00Z")},
		{at, "2024-03-01T10:00:00+24:00", nil},
		{at, "2024-03-01 10:00:00-15:00", nil},
		{at, "2024-03-01T10", nil},
		{at, "2024-02-30T10:00:00Z", nil},
		// a leap second is the second before it, on its own day (formatA M2)
		{at, "2016-12-31T23:59:60Z", utcAt("2016-12-31T23:59:59Z")},
		{at, "2016-12-31t18:59:60.5-05:00", utcAt("2016-12-31T23:59:59.5Z")},
		{at, "2016-12-31T23:60:00Z", nil},
		{on, "2024-03-01", date("2024-03-01")},
		{on, "2024-03-01T23:30:00-05:00", date("2024-03-01")},
		{on, "2024-03-01 00:30", date("2024-03-01")},
		{on, "2024-3-1", nil},
		{on, "01/03/2024", nil},
		{start, "2024-03-01T08:00:00", utcAt("2024-03-01T08:00:00Z")},
		{poi, "true", true},
		{poi, "True", true},
		{poi, "FALSE", false},
		{poi, "yes", nil},
		{poi, "1", nil},
		{channel, "remote", "remote"},
		{channel, "Remote", "remote"},
		{channel, "ONSITE", "onsite"},
		{channel, "bike", nil},
		{channel, "On-Site", "onsite"},
		{channel, "on site", "onsite"},
		{channel, "remotely", nil},
		{finding, "Not Sustained", "not_sustained"},
		{finding, "not-sustained", "not_sustained"},
		{finding, "sustained", "sustained"},
		{finding, "notsustained ", "not_sustained"},
		{finding, "not sus", nil},
		// secE: nothing a terminal or a spreadsheet would run, no direction override
		{name, "Ann\tLee", "Ann\tLee"},
		{name, "Flat 2\nHigh St", "Flat 2\nHigh St"},
		{name, "\x1b[2JAnn", nil},
		{name, "Evil\u202Egnp.exe", nil},
		{name, strings.Repeat("x", 10001), nil},
		{name, "=SUM(1+1)", "=SUM(1+1)"}, // text is no id: kept (explanations start with the rule's words)
		{id, "=HYPERLINK(\"x\")", nil},
		{id, "+44 20 7946 0000", "+44 20 7946 0000"}, // a phone number
		{id, "+44 20 7946 0000 ext 12", "+44 20 7946 0000 ext 12"},
		{id, "+HYPERLINK(\"http://x\")", nil},
		{id, "-5", "-5"},
		{id, "+cmd|' /C calc'!A0", nil},
		{id, "-2+3+cmd|' /C calc'!A0", nil},
		{id, "@SUM", nil},
		{id, "O-5", "O-5"},
		{id, "PERX1;=1+2", nil}, // ";" separates evidence ids (secF)
		// fuzzF: + or - with no number after it; look-alike ids; letters that
		// fold to ASCII ones; times west of UTC on the last day of 9999; a
		// time of day's zone beyond ±14:00
		{id, "+SUM(A1)", nil},
		{id, "-cmd", nil},
		{id, "+1 (555) 010-9999", "+1 (555) 010-9999"},
		{id, "+44 (0)20 7946 0000", "+44 (0)20 7946 0000"},
		{id, "+44-20-7946-0000 x12", "+44-20-7946-0000 x12"},
		{id, "-12345", "-12345"},
		{id, "-1+HYPERLINK(A1)", nil}, // reFix: a digit after the sign, then a formula
		{id, "+0+WEBSERVICE(CHAR(104))", nil},
		{id, "1.23457E+11", nil}, // csvW: a spreadsheet's long account number, its digits lost
		{id, "4E+15", nil},
		{id, "1.23457e+11", nil},
		{id, "2E5", "2E5"}, // no exponent sign: an id as people write one
		{id, "ACC1.5E+3", "ACC1.5E+3"},
		{id, "OSeán", "OSeán"},
		{id, "OSeán", nil},                                   // the same letters, the accent a separate character (reFix)
		{on, "9999-12-31T23:00:00-05:00", date("9999-12-31")}, // a date as written
		{id, "PE1ㅤ", nil},
		{id, "O1️", nil},
		{id, "a b", nil},
		{id, "O 1", nil},
		{id, "Zoë 1", "Zoë 1"},
		{probity.Column{Name: "case_id", Type: probity.TypeKey}, "-MC1", nil},
		{channel, "oNſite", nil},
		{poi, "falſe", nil},
		{at, "9999-12-31T23:00:00-14:00", nil},
		{at, "0000-01-01T00:00:00+01:00", nil},
		{at, "0000-01-01", nil},
		{at, "9999-12-31T23:00:00Z", utcAt("9999-12-31T23:00:00Z")},
	} {
		got, reason := parseCell(c.col, c.in, nil)
		switch {
		case c.want == nil && reason == "":
			t.Errorf("%s %q = %v, want refused", c.col.Name, c.in, got)
		case c.want == nil:
		case reason != "":
			t.Errorf("%s %q refused: %s", c.col.Name, c.in, reason)
		default:
			if w, ok := c.want.(time.Time); ok {
				if g, _ := got.(time.Time); !g.Equal(w) || g.Location() != utc {
					t.Errorf("%s %q = %v, want %v in UTC", c.col.Name, c.in, got, w)
				}
			} else if got != c.want {
				t.Errorf("%s %q = %v, want %v", c.col.Name, c.in, got, c.want)
			}
		}
	}
}

// A shift's end given as a time of day before its start is on the next day;
// one given as a full date-time (any form) is taken as written, and refused
// when it is before the start.
func TestCheckRowNightShift(t *testing.T) {
	spec, _ := probity.ImportFile("shifts.csv")
	h := header{index: []int{0, 1, 2, 3, 4}, width: 5}
	for _, c := range []struct{ start, end, want string }{
		{"22:00", "06:00", "2024-03-02T06:00:00Z"},
		{"08:00", "16:00", "2024-03-01T16:00:00Z"},
		{"22:00", "2024-03-02T06:00:00Z", "2024-03-02T06:00:00Z"},
		{"22:00", "2024-03-02 06:00:00", "2024-03-02T06:00:00Z"},
		{"22:00", "2024-03-01T06:00:00Z", "refused"},
		{"22:00", "2024-03-01 06:00:00", "refused"},
		{"08:00z", "17:00z", "2024-03-01T17:00:00Z"}, // a lower-case z, as RFC 3339 allows (loadV)
		{"08:00+14:00", "17:00+14:00", "2024-03-01T03:00:00Z"},
		{"08:00+23:59", "17:00", "refused start"}, // a zone no place has would move the shift a day (fuzzF)
	} {
		out, col, reason := checkRow(spec, h, []string{"O1", "2024-03-01", c.start, c.end, "onsite"})
		if c.want == "refused" {
			if col != "end" || !strings.Contains(reason, "is before start") {
				t.Errorf("start %s end %s: %s %q, want end refused as before the start", c.start, c.end, col, reason)
			}
			continue
		}
		if c.want == "refused start" {
			if col != "start" || !strings.Contains(reason, "out of range") {
				t.Errorf("start %s: %s %q, want start refused as out of range", c.start, col, reason)
			}
			continue
		}
		if reason != "" {
			t.Fatalf("%v: %s %s", c, col, reason)
		}
		if got := out[3].(time.Time).Format(time.RFC3339); got != c.want {
			t.Errorf("start %s end %s: end %s, want %s", c.start, c.end, got, c.want)
		}
	}
}

// A bad value is quoted in a reason up to 100 characters, with its length:
// a 50 MB field quoted whole made a 250 MB answer (secI M3).
func TestReasonQuotesABadValueShort(t *testing.T) {
	long := strings.Repeat("\x01", 1_000_000)
	_, reason := parseCell(probity.Column{Name: "start_date", Type: probity.TypeDate}, long, nil)
	if len(reason) > 600 || !strings.Contains(reason, "(1000000 bytes)") || !strings.Contains(reason, "is not a date") {
		t.Fatalf("reason of %d bytes: %.200q", len(reason), reason)
	}
	if _, reason := parseCell(probity.Column{Name: "on", Type: probity.TypeDate}, "31/12/2024", nil); reason != `"31/12/2024" is not a date (YYYY-MM-DD)` {
		t.Fatalf("a short value is quoted whole: %q", reason)
	}
}

// A date of year 0000 (an export's "unknown") is refused as out of range,
// as a date-time of year 0 is; 0001-01-01 is a date (formatB L5).
func TestDateOfYearZeroRefused(t *testing.T) {
	col := probity.Column{Name: "from", Type: probity.TypeDate}
	for _, s := range []string{"0000-01-01", "0000-06-01T00:00:00Z"} {
		if v, reason := parseCell(col, s, nil); !strings.Contains(reason, "out of range") {
			t.Errorf("%s: %v, reason %q", s, v, reason)
		}
	}
	if _, reason := parseCell(col, "0001-01-01", nil); reason != "" {
		t.Errorf("0001-01-01: %s", reason)
	}
}

// The rejects file's raw row shows a CR alone as \r (it moves a terminal's
// cursor back over the line) and keeps a CR LF (formatB L6).
func TestRawLineShowsALoneCR(t *testing.T) {
	for in, want := range map[string]string{"unit\rO40": `"unit\rO40"`, "a\r": `"a\r"`, "a\r\rb": `"a\r\rb"`, "a\r\nb": "\"a\r\nb\""} {
		if got := rawLine([]string{in}); got != want {
			t.Errorf("raw of %q is %q, want %q", in, got, want)
		}
	}
}

// A file meant for the format under another name is recognised, the five
// whose names hold "_" too, and named by the longest file it fits
// (reviewM H1); other files are not.
func TestNearMiss(t *testing.T) {
	for name, want := range map[string]string{
		"Accesses.csv":                      "lower case: accesses.csv",
		"accesses_2025-06-01.csv":           "named exactly accesses.csv",
		"accesses (1).csv":                  "named exactly accesses.csv",
		"accesses-2025-06-01.csv":           "named exactly accesses.csv",
		"badge_swipes_2025-06-02.csv":       "named exactly badge_swipes.csv",
		"complaint_officers_2025-06-01.csv": "named exactly complaint_officers.csv",
		"phone_use_2025.csv":                "named exactly phone_use.csv",
		"record_subjects.2025.csv":          "named exactly record_subjects.csv",
		"misconduct_history_copy.csv":       "named exactly misconduct_history.csv",
		"payments_2025-06-01 (2).csv":       "named exactly payments.csv",
		"misconduct_history_old.csv":        "",
		"persons of interest.csv":           "",
		"cases-closed.csv":                  "",
		"officers.summary.csv":              "",
		"officers_notes.csv":                "",
		"truth.csv":                         "",
		"notes.csv":                         "",
		"officersx.csv":                     "",
		"accesses.csv.bak":                  "",
		"README.md":                         "",
	} {
		got := nearMiss(name)
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("nearMiss(%q) = %q, want %q", name, got, want)
		}
	}
}
