package graph

// Fuzz tests of the loader's pure parsers (fuzzF). go test runs their
// seeds and testdata/fuzz; to fuzz, one target at a time:
//   go test -run '^$' -fuzz '^FuzzID$' -fuzztime 4m -parallel 1 ./graph/

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"golang.org/x/text/unicode/norm"

	"probity"
)

var dateTimeSeeds = []string{
	"2024-03-01T10:15:00Z", "2024-03-01T11:15:00+01:00", "2024-03-01t10:15:00z", "2024-03-01T10:15:00.123456789Z",
	"2024-03-01 10:15", "2024-03-01T10:15:00", "2024-03-01", "2024-03-01T23:30:00-05:00", "01/03/2024",
	"2024-03-01T10:00:00+14:00", "2024-03-01T10:00:00+24:00", "0000-01-01T00:00:00+01:00", "9999-12-31T23:00:00-14:00",
	"2024-02-30T10:00:00Z", "2024-03-01 10:15:00-15:00", "2024-03-01T10:15+01:00",
}

func offsetOf(t time.Time) int { _, off := t.Zone(); return off }

// An accepted date-time is UTC, in the years 1-9999, and its KeyText (what
// export-bulk writes and keys compare) is RFC 3339 and reads back to the
// same instant; a value read as UTC for want of a zone is noticed.
func FuzzDateTime(f *testing.F) {
	for _, s := range dateTimeSeeds {
		f.Add(s)
	}
	col := probity.Column{Name: "at", Type: probity.TypeDateTime, Required: true}
	spec, _ := probity.ImportFile("badge_swipes.csv")
	h := header{index: []int{0, 1, 2}, width: 3}
	f.Fuzz(func(t *testing.T, s string) {
		v, reason := parseCell(col, s, nil)
		if reason != "" {
			if !strings.Contains(reason, "date-time") && !strings.Contains(reason, "out of range") {
				t.Fatalf("%q: reason %q does not say why", s, reason)
			}
			return
		}
		tm := v.(time.Time)
		if offsetOf(tm) != 0 || tm.Year() < 1 || tm.Year() > 9999 {
			t.Fatalf("%q: accepted as %s", s, tm)
		}
		text := KeyText(tm)
		if back, reason := parseCell(col, text, nil); reason != "" || !back.(time.Time).Equal(tm) {
			t.Fatalf("%q -> %q -> %v %q", s, text, back, reason)
		}
		if _, err := time.Parse(time.RFC3339Nano, text); err != nil {
			t.Fatalf("%q -> KeyText %q is not RFC 3339: %v", s, text, err)
		}
		noticed := zonelessColumn(spec, h, []string{"O1", s, ""}) != ""
		hasZone := false
		for _, l := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04Z07:00", "2006-01-02 15:04Z07:00"} {
			if _, err := time.Parse(l, strings.ToUpper(s)); err == nil {
				hasZone = true
			}
		}
		if !hasZone && len(s) != len(dateLayout) && !noticed {
			t.Fatalf("%q: read as UTC without the zoneless notice", s)
		}
		if hasZone && noticed {
			t.Fatalf("%q: has a zone but noticed as zoneless", s)
		}
	})
}

// An accepted date reads back from its text; a time of day on the row's
// date stays within ±14:00 of that day and reads back from its text.
func FuzzDateAndTime(f *testing.F) {
	for _, s := range dateTimeSeeds {
		f.Add(s, "2024-03-01")
	}
	for _, s := range []string{"08:00", "17:00z", "23:30:00.5+01:00", "07:00:00-14:00", "07:00+23:59", "24:00", "8:00", "08:00:60"} {
		f.Add(s, "2024-03-01")
	}
	dcol := probity.Column{Name: "date", Type: probity.TypeDate}
	tcol := probity.Column{Name: "start", Type: probity.TypeTime}
	f.Fuzz(func(t *testing.T, s, day string) {
		if v, reason := parseCell(dcol, s, nil); reason == "" {
			d := v.(neo4j.Date)
			if back, reason := parseCell(dcol, KeyText(d), nil); reason != "" || back.(neo4j.Date) != d {
				t.Fatalf("date %q -> %q -> %v %q", s, KeyText(d), back, reason)
			}
		}
		dv, reason := parseCell(dcol, day, nil)
		if reason != "" {
			return
		}
		dt := time.Time(dv.(neo4j.Date))
		v, reason := parseCell(tcol, s, &dt)
		if reason != "" {
			return
		}
		tm := v.(time.Time)
		if offsetOf(tm) != 0 || tm.Year() < 1 || tm.Year() > 9999 {
			t.Fatalf("time %q: accepted as %s", s, tm)
		}
		if _, full := parseDateTime(s); !full {
			if lo, hi := dt.Add(-14*time.Hour), dt.Add(38*time.Hour); tm.Before(lo) || !tm.Before(hi) {
				t.Fatalf("time of day %q on %s read as %s: a zone beyond ±14:00", s, day, KeyText(tm))
			}
		}
		if back, reason := parseCell(tcol, KeyText(tm), nil); reason != "" || !back.(time.Time).Equal(tm) {
			t.Fatalf("time %q -> %q -> %v %q", s, KeyText(tm), back, reason)
		}
	})
}

// An accepted id obeys docs/import-format.md: no surrounding space, no
// control or invisible character, no ";", at most 1,024 bytes, no formula
// start (= and @ always, + and - unless a number follows).
func FuzzID(f *testing.F) {
	for _, s := range []string{"O1", "P-0001", "+44 20 7946 0000", "+44 20 7946 0000 ext 12", "+1 (555) 010-9999", "-5", "=1+1",
		"@SUM(A1)", "+SUM(A1)", "-cmd", "-1+HYPERLINK(A1)", "+44 (0)20 7946 0000", "a;b", "OSea\u0301n", " O1", "O1\u200b", "O\u3164", "a\u2028b", "e\u0301", "O1\ufe0f", strings.Repeat("x", 1025)} {
		f.Add(s)
	}
	col := probity.Column{Name: "person_id", Type: probity.TypeID, Required: true, MaxBytes: probity.MaxKeyBytes}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || !utf8.ValidString(s) {
			return
		}
		v, reason := parseCell(col, s, nil)
		if reason != "" {
			if !strings.Contains(reason, "id") && !strings.Contains(reason, "bytes") {
				t.Fatalf("%q: reason %q names no rule", s, reason)
			}
			return
		}
		if v.(string) != s || len(s) > probity.MaxKeyBytes {
			t.Fatalf("%q accepted as %q", s, v)
		}
		first, _ := utf8.DecodeRuneInString(s)
		last, _ := utf8.DecodeLastRuneInString(s)
		if unicode.IsSpace(first) || unicode.IsSpace(last) {
			t.Fatalf("%q: surrounding space accepted", s)
		}
		if i := strings.IndexFunc(s, probity.Invisible); i >= 0 {
			t.Fatalf("%q: invisible or control character at byte %d accepted", s, i)
		}
		if !norm.NFC.IsNormalString(s) {
			t.Fatalf("%q: not in NFC, accepted", s)
		}
		if strings.Contains(s, ";") || s[0] == '=' || s[0] == '@' {
			t.Fatalf("%q: ; or a formula start accepted", s)
		}
		// after a sign, a formula needs a function's name or an operator:
		// no letter but those of "ext", no + = @ &
		if (s[0] == '+' || s[0] == '-') && strings.ContainsFunc(strings.ToLower(s[1:]), func(r rune) bool {
			return unicode.IsLetter(r) && !strings.ContainsRune("ext", r) || strings.ContainsRune("+=@&", r)
		}) {
			t.Fatalf("%q: a sign, then what a spreadsheet could run, accepted", s)
		}
	})
}

// An accepted enum value is a listed value written in ASCII case with _, -
// or a space between words; a bool is true or false in ASCII case; a
// decimal is finite.
func FuzzEnumBoolDecimal(f *testing.F) {
	for _, s := range []string{"onsite", "Remote", "on-site", "Not Sustained", "not-sustained", "buſineſs_intereſt", "oNſite", "true",
		"FALSE", "1", "5.", ".5", "-1.25", "1e5", "1,000", "+.5", "0x10"} {
		f.Add(s)
	}
	enums := [][]string{probity.Channels, probity.DeclarationTypes, probity.RelationTypes, probity.MisconductOutcomes,
		probity.ComplaintRoles, probity.ComplaintFindings}
	word := func(s string) string { return strings.ToLower(enumWord(s)) }
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range enums {
			if v, reason := parseCell(probity.Column{Name: "e", Type: probity.TypeEnum, Enum: e}, s, nil); reason == "" && word(s) != word(v.(string)) {
				t.Fatalf("enum %q accepted as %q", s, v)
			}
		}
		if v, reason := parseCell(probity.Column{Name: "poi", Type: probity.TypeBool}, s, nil); reason == "" && strings.ToLower(s) != "true" && strings.ToLower(s) != "false" {
			t.Fatalf("bool %q accepted as %v", s, v)
		}
		if v, reason := parseCell(probity.Column{Name: "amount", Type: probity.TypeDecimal}, s, nil); reason == "" && (math.IsInf(v.(float64), 0) || math.IsNaN(v.(float64))) {
			t.Fatalf("decimal %q accepted as %v", s, v)
		}
	})
}

// A whole file, as the loader reads it (CSV, checkHeader, checkRow): no
// panic; a rejected row names a column of the file; an accepted row's
// texts (RowTexts, what export-bulk writes) read back to the same texts;
// the shown raw line is UTF-8 with nothing a terminal would run.
func FuzzFile(f *testing.F) {
	for _, s := range []string{
		"officer_id,name,rank,unit,role,start_date,status\nO1,Ann,PC,Unit A,response,2020-01-01,active\n",
		"officer_id,name,gender,Line Manager\nO1,Ann,F,O9\n",
		"officer_id,record_id,at,system,channel,terminal,purpose\nO1,R1,2024-03-01T10:15:00Z,PNC,remote,T1,\n",
		"officer_id,date,start,end,declared_location\nO1,2024-03-01,22:00,06:00,onsite\nO1,2024-03-02,2024-03-02T08:00:00Z,2024-03-02T07:00:00Z,onsite\n",
		"payment_id,from_account,to_account,amount,currency,at,reference\nPAY1,A1,A2,.5,GBP,2024-03-01,\"x\ny\"\n",
		"case_id,officer_id,category,outcome,decided_on\nMC1,O1,data,Not Proven,2022-09-30\n",
		"party_a,party_b,type,source,since\nP1,P1,family,,\n",
		"\ufeff\"officer_id\",name\n\"O1\",\"a \"\"b\"\"\"\n",
		"officer_id,declared_id,type,declared_on,withdrawn_on\nO1,P1,business interest,2024-01-02,2024-01-01\n",
	} {
		for i := range probity.ImportFiles {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, data string) {
		spec := probity.ImportFiles[int(which)%len(probity.ImportFiles)]
		r := csv.NewReader(SkipBOM(strings.NewReader(data)))
		r.FieldsPerRecord = -1
		fields, err := r.Read()
		if err != nil {
			return
		}
		h, reason, _ := checkHeader(spec, fields)
		if reason != "" {
			if !strings.HasPrefix(reason, "bad header: ") {
				t.Fatalf("header reason %q", reason)
			}
			return
		}
		named := func(col string) bool {
			return slices.ContainsFunc(spec.Columns, func(c probity.Column) bool { return c.Name == col }) ||
				slices.ContainsFunc(h.attrs, func(a Attribute) bool { return a.Name == col })
		}
		cell := func(col string) string {
			for i, c := range spec.Columns {
				if c.Name == col && h.index[i] >= 0 {
					return fields[h.index[i]]
				}
			}
			return ""
		}
		for range 50 {
			if fields, err = r.Read(); err != nil {
				var pe *csv.ParseError
				if err != io.EOF && !errors.As(err, &pe) {
					t.Fatalf("non-parse error %v", err)
				}
				return
			}
			line, _ := r.FieldPos(0)
			swallowed(fields, len(h.index), line)
			if raw := rawLine(fields); !utf8.ValidString(raw) {
				t.Fatalf("raw %q not UTF-8", raw)
			} else if _, j := probity.BadTextRune(raw); j >= 0 {
				t.Fatalf("raw %q holds a bad rune at %d", raw, j)
			}
			_, col, reason := checkRow(spec, h, fields)
			if reason != "" {
				if col != "" && !named(col) {
					t.Fatalf("reject names column %q, not in the file", col)
				}
				continue
			}
			texts := make([]string, len(spec.Columns))
			if err := RowTexts(spec, cell, texts); err != nil {
				t.Fatalf("checkRow accepted, RowTexts refused: %v", err)
			}
			again := make([]string, len(spec.Columns))
			if err := RowTexts(spec, func(col string) string {
				return texts[slices.IndexFunc(spec.Columns, func(c probity.Column) bool { return c.Name == col })]
			}, again); err != nil {
				t.Fatalf("RowTexts output %q refused: %v", texts, err)
			}
			if !slices.Equal(texts, again) {
				t.Fatalf("RowTexts not stable: %q -> %q", texts, again)
			}
		}
	})
}
