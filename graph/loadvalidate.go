package graph

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"golang.org/x/text/unicode/norm"

	"probity"
)

// Reject is one row that was not loaded, and why. Line is the physical line
// of the CSV file where the row starts (the header is line 1); Column is ""
// when the fault is the row's (its number of fields) or the file's (header).
type Reject struct {
	File   string
	Line   int
	Column string
	Reason string
	Raw    string // the row's fields as one CSV line (invalid UTF-8 replaced)
}

// String formats the reject as "file:line: column: reason".
func (r Reject) String() string {
	if r.Column == "" {
		return fmt.Sprintf("%s:%d: %s", r.File, r.Line, r.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", r.File, r.Line, r.Column, r.Reason)
}

// header maps a spec's columns to their positions in a file, in any order.
type header struct {
	index []int // spec column i is at field index[i]; -1: the file lacks it (read as empty)
	width int   // number of fields of the header
	attrs []Attribute
}

// Attribute is a column that the format does not name, kept as a text
// property (probity.KeepsAttributes): Name is the property, the column's
// name in lower case; Index its field in the header.
type Attribute struct {
	Name  string
	Index int
}

// maxAttributes caps the attribute columns kept of one file.
const maxAttributes = 32

var attributeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// Attributes returns the columns of a header (names as HeaderNames reads
// them) that file keeps as attributes, in header order: those the format
// does not name whose name, as HeaderKey gives it, is a plain
// identifier (a letter, then letters, digits or _; at most 64) and neither
// a format column nor a property the investigator writes, the first of
// names that give the same one, at most 32. Other unknown columns are
// ignored.
func Attributes(file string, names []string) []Attribute {
	spec, ok := probity.ImportFile(file)
	if !ok || !probity.KeepsAttributes(file) {
		return nil
	}
	taken := map[string]bool{"id": true, "risk": true}
	for _, c := range spec.Columns {
		taken[strings.ToLower(c.Name)] = true
		taken[strings.ToLower(propName(file, c.Name))] = true
	}
	var out []Attribute
	for i, n := range names {
		p := HeaderKey(n)
		if !attributeRE.MatchString(p) || taken[p] || len(out) == maxAttributes {
			continue
		}
		taken[p] = true
		out = append(out, Attribute{Name: p, Index: i})
	}
	return out
}

// HeaderKey is what a header name stands for: its name in lower case,
// with each run of spaces, hyphens and dots as one "_". It is the column
// of the format a name means ("Officer ID", "POI", "Start-Date" are
// officer_id, poi, start_date: a spreadsheet's title-case header had been
// read as unknown columns, ignored with a notice, and every person loaded
// as of no interest; csvW), and the property an officer attribute column
// is kept as ("Line Manager" is line_manager, as HR extracts name their
// columns).
func HeaderKey(column string) string {
	f := strings.FieldsFunc(strings.ToLower(column), func(r rune) bool { return r == ' ' || r == '-' || r == '.' || r == '\t' })
	return strings.Join(f, "_")
}

// SkipBOM returns r without a leading UTF-8 byte-order mark. The CSV
// reader would take the mark as part of the first field, and a quoted first
// name ("officer_id") then as a bare quote.
func SkipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	return br
}

// HeaderNames returns the column names of a header row as the loader reads
// them: the spaces around each name dropped (a byte-order mark is dropped
// before the CSV reader, SkipBOM).
func HeaderNames(fields []string) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = strings.TrimSpace(f)
	}
	return names
}

// headerFormat says why a header that does not read as the format's may
// be the file's encoding or separators rather than its names: UTF-16 (NUL
// bytes between the letters), lines ended by CR alone (the whole file
// read as one line), or fields separated by semicolons or tabs.
func headerFormat(fields []string) string {
	line := strings.Join(fields, ",")
	switch {
	case strings.ContainsRune(line, 0):
		return "the file is not UTF-8 (NUL bytes: UTF-16?); save it as UTF-8"
	case strings.ContainsRune(line, '\r'):
		return "lines end with CR alone; end them with LF or CR LF"
	case len(fields) == 1 && strings.Contains(line, ";"):
		return "fields are separated by semicolons; separate them with commas"
	case len(fields) == 1 && strings.Contains(line, "\t"):
		return "fields are separated by tabs; separate them with commas"
	case len(fields) > 0 && strings.HasPrefix(strings.ToLower(fields[0]), "sep="):
		return "the first line is a spreadsheet's \"sep=\" line; delete it, the header comes first"
	}
	return ""
}

// listed is names joined with ", ", the first max of them and how many
// more (csvW: 5,000 unknown columns made one 40 KB notice).
func listed(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

// BlankRow says every cell of a row is empty: a spreadsheet's empty rows
// (",,,,,,") are no data, as a blank line is none (csvW: each was rejected
// as missing its id).
func BlankRow(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// missingMarks are what SQL exports write for a missing value; a cell
// holding one is read as empty (csvW: "NULL" had been stored as a unit).
var missingMarks = map[string]bool{"NULL": true, `\N`: true}

// CellText is a cell's text as the loader reads it: without the spaces a
// fixed-width database column pads it with ("Unit A    ": two units
// otherwise; csvW), and empty for a missing-value mark (NULL, \N). Ids
// are read as written instead (their spaces refuse them). export-bulk
// writes officer attributes through it too, so that both loads keep the
// same text (reRun).
func CellText(f string) string {
	if f = strings.TrimSpace(f); missingMarks[f] {
		return ""
	}
	return f
}

// notUTF8 is the reason of a cell that is not UTF-8, with the likely
// cause: a spreadsheet's "CSV" in the Windows code page.
func notUTF8(s string) string {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return fmt.Sprintf("not valid UTF-8 (byte 0x%02X at %d: Windows-1252 or Latin-1? save the file as \"CSV UTF-8\")", s[i], i)
		}
		i += n
	}
	return "not valid UTF-8"
}

// checkHeader reads a file's header, its names matched to the format's
// columns by HeaderKey. A missing required column or a repeated one
// rejects the file (reason). A missing optional column is read as empty in
// every row, and an unknown or unnamed column is ignored: the file is
// loaded, and each is told in a note, so a misspelt name does not pass
// unseen.
func checkHeader(spec probity.FileSpec, fields []string) (h header, reason string, notes []string) {
	h = header{index: make([]int, len(spec.Columns)), width: len(fields)}
	pos := map[string]int{}
	var unknown, dup, missing, absent []string
	names := HeaderNames(fields)
	column := map[string]bool{}
	for _, c := range spec.Columns {
		column[c.Name] = true
	}
	unnamed := 0
	for i, f := range names {
		if f == "" {
			unnamed++ // a spreadsheet's empty columns, a pandas index: ignored
			continue
		}
		k := f
		if column[HeaderKey(f)] {
			k = HeaderKey(f) // "Officer ID" is officer_id
		}
		if _, ok := pos[k]; ok {
			dup = append(dup, f)
			continue
		}
		pos[k] = i
	}
	used := map[int]bool{}
	for i, c := range spec.Columns {
		p, ok := pos[c.Name]
		if ok {
			used[p] = true
		}
		switch {
		case ok:
			h.index[i] = p
		case c.Required:
			missing = append(missing, c.Name)
		default:
			h.index[i] = -1
			absent = append(absent, c.Name)
		}
	}
	h.attrs = Attributes(spec.Name, names)
	var kept []string
	for _, a := range h.attrs {
		used[a.Index] = true
		kept = append(kept, a.Name)
	}
	for f, i := range pos {
		if !used[i] {
			unknown = append(unknown, f)
		}
	}
	slices.Sort(unknown)
	var reasons []string
	if why := headerFormat(fields); why != "" {
		reasons = append(reasons, why) // whatever else the names say: the rows would not read either
	}
	if len(missing) > 0 {
		reasons = append(reasons, "missing required column(s) "+strings.Join(missing, ", "))
	}
	if len(dup) > 0 {
		reasons = append(reasons, "repeated column(s) "+strings.Join(dup, ", "))
	}
	if len(reasons) > 0 {
		want := make([]string, len(spec.Columns))
		for i, c := range spec.Columns {
			want[i] = c.Name
		}
		return h, fmt.Sprintf("bad header: %s (want %s, in any order)", strings.Join(reasons, "; "), strings.Join(want, ",")), nil
	}
	if len(absent) > 0 {
		notes = append(notes, "no column(s) "+strings.Join(absent, ", ")+": left absent on every row")
	}
	if len(kept) > 0 {
		notes = append(notes, "column(s) "+strings.Join(kept, ", ")+" kept as text attributes of each "+strings.ToLower(spec.Label)+" (for the disproportion report)")
	}
	if len(unknown) > 0 {
		notes = append(notes, "unknown column(s) "+listed(unknown, 20)+" ignored")
	}
	if unnamed > 0 {
		notes = append(notes, fmt.Sprintf("%d column(s) without a name ignored", unnamed))
	}
	return h, "", notes
}

var (
	decimalRE  = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	timeOfDay  = []string{"15:04", "15:04:05", "15:04Z07:00", "15:04:05Z07:00", "15:04:05.999999999", "15:04:05.999999999Z07:00"}
	dateLayout = "2006-01-02"
	// utc is UTC as an offset: the driver sends a time in a zone named
	// "Offset" as a DateTime with offset +00:00 (stored as ...Z, equal to
	// Cypher's datetime('...Z')); time.UTC would be sent with the zone id
	// "UTC", which Cypher holds unequal to the same instant in Z.
	utc         = time.FixedZone("Offset", 0)
	errRequired = "required"
	// lenientDateTimes are the date-time forms read besides RFC 3339 (which
	// needs a zone and seconds), as other tools write them: a T or a space
	// between date and time, with or without seconds (fractions allowed),
	// with or without a zone (none: UTC).
	lenientDateTimes = []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05",
		"2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02 15:04Z07:00", "2006-01-02 15:04"}
)

// parseDateTime reads an RFC 3339 date-time, or one of the lenient forms;
// as RFC 3339 (5.6) allows, the T and the Z may be lower case. Whether
// the time can be stored is inRange's to say.
func parseDateTime(s string) (time.Time, bool) {
	s = strings.ToUpper(s)
	// A leap second (23:59:60Z: RFC 3339 allows it) is read as the second
	// before it, on the same day: Go and Neo4j have none (formatA M2).
	if m := leapSecondRE.FindStringSubmatchIndex(s); m != nil {
		s = s[:m[2]] + "59" + s[m[3]:]
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, l := range lenientDateTimes {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var leapSecondRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:(60)(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// inRange says a time read can be stored: its offset is one a zone has, at
// most ±14:00 (Go reads offsets up to ±99:59, and +24:00 would move a
// look-up to another day unseen), and it falls in the years 1-9999 in UTC,
// where RFC 3339 (the API's times) and neo4j-admin import can write and
// read it: 9999-12-31 late in the evening west of UTC is in the year 10000
// (fuzzF).
func inRange(t time.Time) bool {
	y := t.UTC().Year()
	return inZone(t) && y >= 1 && y <= 9999
}

// inZone says t's offset is one a zone has, at most ±14:00. A date is read
// from a date-time as written, so its UTC year does not matter.
func inZone(t time.Time) bool {
	_, off := t.Zone()
	return off <= 14*3600 && off >= -14*3600
}

// outOfRange is the reason a time read is refused by inRange.
func outOfRange(s string) string {
	return fmt.Sprintf("%s is out of range (a zone within ±14:00, a UTC time in the years 1-9999)", quoteValue(s))
}

// zonelessColumn names the first date-time column of a row whose value
// has a time but no zone (so it was taken as UTC); "" when none has. A
// date alone is a UTC day, which is all the rules use of it.
func zonelessColumn(spec probity.FileSpec, h header, fields []string) string {
	for i, c := range spec.Columns {
		if c.Type != probity.TypeDateTime || h.index[i] < 0 {
			continue
		}
		s := strings.TrimSpace(fields[h.index[i]])
		if len(s) <= len(dateLayout) || strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
			continue
		}
		if n := len(s); n >= 6 && (s[n-6] == '+' || s[n-6] == '-') && s[n-3] == ':' {
			continue
		}
		return c.Name
	}
	return ""
}

// parseDate reads a date: YYYY-MM-DD, or a date-time whose calendar date,
// as written (not moved to UTC), is the date.
func parseDate(s string) (time.Time, bool) {
	if t, err := time.Parse(dateLayout, s); err == nil {
		return t, true
	}
	if t, ok := parseDateTime(s); ok && inZone(t) {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// enumWord is an enum value without the separators other tools write
// differently ("not sustained", "not-sustained", "not_sustained";
// "on-site", "onsite").
func enumWord(s string) string { return enumSeparators.Replace(strings.TrimSpace(s)) }

var enumSeparators = strings.NewReplacer("_", "", "-", "", " ", "")

// asciiFold is strings.EqualFold of an ASCII word: "any case" is ASCII's,
// not Unicode's folding, which reads "buſineſſ" (U+017F) as "business"
// (fuzzF).
func asciiFold(s, word string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return strings.EqualFold(s, word)
}

// signedNumber says an id starting with + or - is a number as people
// write phone and account numbers: digits, spaces and ( ) - . / only,
// an extension at the end (+44 20 7946 0000 ext 12, +1 (555) 010-9999,
// -12345), which no spreadsheet runs. Anything else after the sign can
// be a formula: "-1+HYPERLINK(A1)", "+0+WEBSERVICE(...)" (reFix).
func signedNumber(s string) bool {
	return phoneRE.MatchString(s)
}

var phoneRE = regexp.MustCompile(`^[+-][ (]*[0-9][0-9 ()./-]*( ?(?i:ext\.?|x) ?[0-9]+)?$`)

// excelNumberRE is a number as a spreadsheet writes one it shows in
// scientific notation (1.23457E+11).
var excelNumberRE = regexp.MustCompile(`^[0-9](\.[0-9]+)?[eE]\+[0-9]+$`)

// maxTextBytes is the longest text cell (a name, a title, a reference).
const maxTextBytes = 10000

// parseCell checks one non-empty cell against its column type and returns
// the value to store: string, bool, float64, neo4j.Date or time.Time (UTC).
// day is the row's date, for TypeTime given as a time of day.
func parseCell(c probity.Column, s string, day *time.Time) (any, string) {
	if c.MaxBytes > 0 && len(s) > c.MaxBytes {
		return nil, fmt.Sprintf("%d bytes, longer than the %d an indexed value may have", len(s), c.MaxBytes)
	}
	switch c.Type {
	case probity.TypeText:
		if len(s) > maxTextBytes {
			return nil, fmt.Sprintf("%d bytes, longer than the %d a text may have", len(s), maxTextBytes)
		}
		// A terminal escape would reach whoever reads a CSV export in a
		// shell; a direction override shows "gnp.exe" as "exe.png" and
		// reverses the text beside it (secE). Tabs and line breaks stay.
		if r, i := probity.BadTextRune(s); i >= 0 {
			return nil, fmt.Sprintf("text holds a control or text-direction character (U+%04X at byte %d)", r, i)
		}
		return s, ""
	case probity.TypeID, probity.TypeRef, probity.TypeKey:
		if strings.TrimSpace(s) != s {
			return nil, "id has leading or trailing spaces"
		}
		// An invisible character makes another id that looks the same.
		if i := strings.IndexFunc(s, probity.Invisible); i >= 0 {
			r, _ := utf8.DecodeRuneInString(s[i:])
			return nil, fmt.Sprintf("id holds an invisible or control character (U+%04X at byte %d)", r, i)
		}
		// So does another encoding of the same letters: "á" as one
		// character or as "a" and a combining accent (reFix).
		if !norm.NFC.IsNormalString(s) {
			return nil, fmt.Sprintf("id is not in Unicode normal form C (its accents are separate characters): write it as %q", norm.NFC.String(s))
		}
		// The evidence column of probity flags --format csv lists ids
		// separated by ";": one holding it would read as two (secF).
		if strings.Contains(s, ";") {
			return nil, "id holds \";\", which separates the ids of a flag's evidence"
		}
		// Ids lead the evidence column of probity flags --format csv: a
		// spreadsheet would run one that starts so as a formula (secE). A
		// phone number, extension included (+44 20 7946 0000 ext 12), is
		// no formula: a + or - is refused unless a phone or account
		// number follows (fuzzF, reFix: "+HYPERLINK(...)" and
		// "-1+HYPERLINK(A1)" had passed).
		if strings.IndexAny(s[:1], "=@") == 0 || strings.IndexAny(s[:1], "+-") == 0 && !signedNumber(s) {
			return nil, fmt.Sprintf("id starts with %q, which a spreadsheet opening an export would run as a formula", s[:1])
		}
		// A spreadsheet saves a long number (an account, a phone) it
		// holds as a number in scientific notation, rounded to 6
		// significant digits: two accounts would become one id.
		if excelNumberRE.MatchString(s) {
			return nil, fmt.Sprintf("id %s is a number in scientific notation, as a spreadsheet saves a long number: its last digits are lost (two ids could become one); save the column as text", quoteValue(s))
		}
		return s, ""
	case probity.TypeDate:
		t, ok := parseDate(s)
		if !ok {
			return nil, fmt.Sprintf("%s is not a date (YYYY-MM-DD)", quoteValue(s))
		}
		if t.Year() < 1 {
			// an export's "unknown" (0000-01-01), which the rules would
			// read as a real day (an assignment since forever; formatB L5)
			return nil, fmt.Sprintf("%s is out of range (the years 1-9999; leave an unknown date empty)", quoteValue(s))
		}
		return neo4j.DateOf(t), ""
	case probity.TypeDateTime:
		t, ok := parseDateTime(s)
		if !ok {
			// A date alone is the start of its UTC day: the rules count
			// UTC calendar days, so a day is all they need of it.
			var err error
			if t, err = time.Parse(dateLayout, s); err != nil {
				return nil, fmt.Sprintf("%s is not an RFC 3339 date-time", quoteValue(s))
			}
		}
		if !inRange(t) {
			return nil, outOfRange(s)
		}
		return t.In(utc), ""
	case probity.TypeTime:
		if t, ok := parseDateTime(s); ok {
			if !inRange(t) {
				return nil, outOfRange(s)
			}
			return t.In(utc), ""
		}
		s = strings.ToUpper(s) // 17:00z, as RFC 3339's Z may be lower case
		for _, l := range timeOfDay {
			t, err := time.Parse(l, s)
			if err != nil {
				continue
			}
			if day == nil {
				return nil, fmt.Sprintf("%s is a time of day but the row has no valid date", quoteValue(s))
			}
			_, off := t.Zone()
			on := time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(),
				time.FixedZone("", off))
			if !inRange(on) {
				return nil, outOfRange(s) // as a date-time's: +23:59 moved a shift to another day (fuzzF)
			}
			return on.In(utc), ""
		}
		return nil, fmt.Sprintf("%s is not an RFC 3339 date-time or a time of day (HH:MM[:SS][zone])", quoteValue(s))
	case probity.TypeBool:
		switch {
		case asciiFold(s, "true"):
			return true, ""
		case asciiFold(s, "false"):
			return false, ""
		}
		return nil, fmt.Sprintf("%s is not true or false", quoteValue(s))
	case probity.TypeEnum:
		for _, v := range c.Enum {
			if asciiFold(enumWord(s), enumWord(v)) {
				return v, ""
			}
		}
		return nil, fmt.Sprintf("%s is not one of %s", quoteValue(s), strings.Join(c.Enum, ", "))
	case probity.TypeDecimal:
		if !decimalRE.MatchString(s) {
			return nil, fmt.Sprintf("%s is not a decimal number", quoteValue(s))
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Sprintf("%s is not a decimal number", quoteValue(s))
		}
		return f, ""
	}
	return nil, fmt.Sprintf("column type %d unknown", c.Type)
}

// cells holds a row's parsed values by spec column index; nil = absent.
type cells []any

// checkRow validates one row without looking anything up: field count,
// UTF-8, required cells and types. It returns the parsed cells, or the
// failing column and reason (the first failure, in the spec's column order).
func checkRow(spec probity.FileSpec, h header, fields []string) (cells, string, string) {
	if len(fields) != h.width {
		return nil, "", fmt.Sprintf("%d fields, header has %d", len(fields), h.width)
	}
	field := func(i int) string {
		if h.index[i] < 0 {
			return ""
		}
		f := fields[h.index[i]]
		switch t := spec.Columns[i].Type; {
		case missingMarks[f]:
			return ""
		case t == probity.TypeID || t == probity.TypeRef || t == probity.TypeKey:
			return f // refused with its spaces: " O1" is no id of O1's
		}
		return CellText(f)
	}
	for i, c := range spec.Columns {
		if f := field(i); !utf8.ValidString(f) {
			return nil, c.Name, notUTF8(f)
		}
	}
	// Attributes follow the spec's columns, as text.
	out := make(cells, len(spec.Columns)+len(h.attrs))
	for j, a := range h.attrs {
		s := CellText(fields[a.Index])
		if !utf8.ValidString(s) {
			return nil, a.Name, notUTF8(s)
		}
		if s != "" {
			// held to the text rules as any text (loadV: a gender column
			// took a terminal escape to probity report fairness)
			v, reason := parseCell(probity.Column{Name: a.Name, Type: probity.TypeText}, s, nil)
			if reason != "" {
				return nil, a.Name, reason
			}
			out[len(spec.Columns)+j] = v
		}
	}
	var day *time.Time
	times := map[string]int{}
	for i, c := range spec.Columns {
		s := field(i)
		if s == "" {
			if c.Required && h.index[i] >= 0 && missingMarks[strings.TrimSpace(fields[h.index[i]])] {
				return nil, c.Name, errRequired + fmt.Sprintf(" (%s is a missing value)", strings.TrimSpace(fields[h.index[i]]))
			}
			if c.Required {
				return nil, c.Name, errRequired
			}
			continue
		}
		v, reason := parseCell(c, s, day)
		if reason != "" {
			return nil, c.Name, reason
		}
		if c.Type == probity.TypeDate && c.Name == "date" {
			t := time.Time(v.(neo4j.Date))
			day = &t
		}
		out[i] = v
		if c.Type == probity.TypeTime {
			times[c.Name] = i
			// An end given as a time of day before the start is on the next day.
			_, full := parseDateTime(s)
			if st, ok := times["start"]; ok && c.Name == "end" && !full && out[st] != nil &&
				v.(time.Time).Before(out[st].(time.Time)) {
				out[i] = v.(time.Time).Add(24 * time.Hour)
			}
		}
	}
	if col, reason := senseOf(spec, out); reason != "" {
		return nil, col, reason
	}
	return out, "", ""
}

// Orders are the column pairs of a file whose second cannot be earlier
// than the first (an assignment that ends before it starts would make the
// officer's look-ups in between unassigned); Distinct the pairs whose ends
// cannot be one thing (a payment from an account to itself, a relation of
// a party to itself).
var (
	orders   = [][2]string{{"from", "to"}, {"declared_on", "withdrawn_on"}, {"start", "end"}}
	distinct = [][2]string{{"from_account", "to_account"}, {"party_a", "party_b"}}
)

// senseCols are a file's orders and distinct pairs as column indexes.
type senseCols struct{ orders, distinct [][2]int }

// sensePairs are, per import file, its senseCols: found once, not on every
// row.
var sensePairs = func() map[string]senseCols {
	out := map[string]senseCols{}
	for _, spec := range probity.ImportFiles {
		col := map[string]int{}
		for i, c := range spec.Columns {
			col[c.Name] = i
		}
		pairs := func(names [][2]string) [][2]int {
			var ps [][2]int
			for _, p := range names {
				a, okA := col[p[0]]
				b, okB := col[p[1]]
				if okA && okB {
					ps = append(ps, [2]int{a, b})
				}
			}
			return ps
		}
		out[spec.Name] = senseCols{pairs(orders), pairs(distinct)}
	}
	return out
}()

// senseOf checks a parsed row against its file's orders and distinct pairs.
func senseOf(spec probity.FileSpec, out cells) (string, string) {
	asTime := func(v any) (time.Time, bool) {
		switch x := v.(type) {
		case neo4j.Date:
			return time.Time(x), true
		case time.Time:
			return x, true
		}
		return time.Time{}, false
	}
	ps := sensePairs[spec.Name]
	for _, p := range ps.orders {
		a, okA := asTime(out[p[0]])
		b, okB := asTime(out[p[1]])
		if okA && okB && b.Before(a) {
			return spec.Columns[p[1]].Name, fmt.Sprintf("%s is before %s %s", KeyText(out[p[1]]), spec.Columns[p[0]].Name, KeyText(out[p[0]]))
		}
	}
	for _, p := range ps.distinct {
		if a, b := out[p[0]], out[p[1]]; a != nil && a == b {
			return spec.Columns[p[1]].Name, fmt.Sprintf("the same as %s: a link from %v to itself", spec.Columns[p[0]].Name, a)
		}
	}
	return "", ""
}

// RowTexts parses one row of spec's file as the loader does (cell gives
// each column's text, "" when empty or absent) and fills texts, one a
// column, with what neo4j-admin must read to store the loader's value:
// dates YYYY-MM-DD, date-times RFC 3339 in UTC (a night shift's end on the
// next day), booleans and enum values in the format's spelling, decimals
// as plain numbers. A row the loader would refuse is an error.
func RowTexts(spec probity.FileSpec, cell func(col string) string, texts []string) error {
	fields := make([]string, len(spec.Columns))
	h := header{index: make([]int, len(spec.Columns)), width: len(fields)}
	for i, c := range spec.Columns {
		fields[i], h.index[i] = cell(c.Name), i
	}
	vals, col, reason := checkRow(spec, h, fields)
	if reason != "" {
		return fmt.Errorf("%s: %s", col, reason)
	}
	for i, v := range vals {
		switch x := v.(type) {
		case float64:
			texts[i] = strconv.FormatFloat(x, 'f', -1, 64)
		case bool:
			texts[i] = strconv.FormatBool(x)
		default:
			texts[i] = KeyText(v)
		}
	}
	return nil
}

// rawLine re-encodes fields as one CSV line for the rejects file.
func rawLine(fields []string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	clean := make([]string, len(fields))
	for i, f := range fields {
		clean[i] = strings.ToValidUTF8(f, "\uFFFD")
	}
	w.Write(clean)
	w.Flush()
	return showLoneCR(probity.ShowText(strings.TrimRight(b.String(), "\n")))
}

// showLoneCR writes a CR not followed by a LF as \r: alone it moves a
// terminal's cursor back over the line it is printed on (formatB L6).
func showLoneCR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' && (i+1 == len(s) || s[i+1] != '\n') {
			b.WriteString(`\r`)
		} else {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// maxQuoted is how many characters of a bad value a reason quotes.
const maxQuoted = 100

// quoteValue is a bad value as a reason quotes it: in full when short,
// else its first maxQuoted characters and its length (a 50 MB field
// quoted whole made a 250 MB answer and 3.5 GB of server memory: secI M3;
// the CLI's rejects file keeps the raw row).
func quoteValue(s string) string {
	if r := []rune(s); len(r) > maxQuoted {
		return fmt.Sprintf("%q… (%d bytes)", string(r[:maxQuoted]), len(s))
	}
	return fmt.Sprintf("%q", s)
}
