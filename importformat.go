package probity

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The import format (DESIGN.md, "Import format") is the interchange contract
// with other tools: a folder of CSV files, UTF-8, RFC 4180, with a header row.
// The loader validates against these specs and the generator writes them.

// ColumnType is how a column's text is checked and stored.
type ColumnType int

const (
	TypeText     ColumnType = iota // any UTF-8 text
	TypeID                         // the row's own id (non-empty, no surrounding spaces)
	TypeRef                        // an id that must exist (in the set or the database); see Column.Refs
	TypeDate                       // YYYY-MM-DD
	TypeDateTime                   // RFC 3339 date-time, stored in UTC
	TypeTime                       // RFC 3339 date-time, or a time of day (HH:MM[:SS][zone]) on the row's date
	TypeBool                       // true or false
	TypeEnum                       // one of Column.Enum
	TypeDecimal                    // a decimal number
	TypeKey                        // the id of an entity a link file makes (a misconduct case): TypeID's rules, repeated across rows
)

// Column describes one column of an import file.
type Column struct {
	Name     string
	Type     ColumnType
	Required bool
	Refs     []string // for TypeRef: the labels the id may name
	Enum     []string // for TypeEnum: the allowed values (empty allowed unless Required)
	MaxBytes int      // longest value, in bytes (0: no limit); ids and other indexed values
}

// MaxKeyBytes is the longest id, and other value Neo4j indexes (an
// officer's unit and role), a file may hold: an index key is at most about
// 8 KB, and a longer one fails its whole write batch.
const MaxKeyBytes = 1024

// FileSpec describes one import file. Entity files come before link files in
// ImportFiles, the order in which the loader applies them.
type FileSpec struct {
	Name    string
	Label   string // entity files: the label of the node each row creates; "" for links
	Columns []Column
}

// Party labels: ids are unique across these three files together.
var PartyLabels = []string{LabelOfficer, LabelPerson, LabelCompany}

var subjectLabels = []string{LabelPerson, LabelOfficer, LabelCompany, LabelAddress}

func id(name string) Column {
	return Column{Name: name, Type: TypeID, Required: true, MaxBytes: MaxKeyBytes}
}
func ref(name string, labels ...string) Column {
	return Column{Name: name, Type: TypeRef, Required: true, Refs: labels, MaxBytes: MaxKeyBytes}
}

// indexed is c with the length limit of an indexed value.
func indexed(c Column) Column              { c.MaxBytes = MaxKeyBytes; return c }
func opt(name string, t ColumnType) Column { return Column{Name: name, Type: t} }
func req(name string, t ColumnType) Column { return Column{Name: name, Type: t, Required: true} }
func enum(name string, required bool, values ...string) Column {
	return Column{Name: name, Type: TypeEnum, Required: required, Enum: values}
}

// Enumerations of the import format.
var (
	Channels           = []string{"onsite", "remote"}
	Locations          = []string{"onsite", "remote"}
	DeclarationTypes   = []string{"association", "business_interest"}
	RelationTypes      = []string{"family", "partner", "associate"}
	MisconductOutcomes = []string{"proven", "not_proven", "dismissed"}
	ComplaintRoles     = []string{"accused", "witness", "investigator"}
	ComplaintFindings  = []string{"sustained", "not_sustained", "unfounded", "exonerated"}
)

// KeepsAttributes tells whether the columns of file that the format does
// not name are kept as text properties of its entity rather than ignored:
// officers.csv, whose extra columns are the officer attributes a force
// holds (a protected characteristic, a grade band...), which the
// disproportion report groups by.
func KeepsAttributes(file string) bool { return file == "officers.csv" }

// ImportFiles lists every file of the import format, entities first.
var ImportFiles = []FileSpec{
	{"officers.csv", LabelOfficer, []Column{id("officer_id"), opt("name", TypeText), opt("rank", TypeText),
		indexed(opt("unit", TypeText)), indexed(opt("role", TypeText)), opt("start_date", TypeDate), opt("status", TypeText)}},
	{"persons.csv", LabelPerson, []Column{id("person_id"), opt("name", TypeText), opt("dob", TypeDate),
		opt("poi", TypeBool), opt("poi_reason", TypeText), opt("high_profile", TypeBool)}},
	{"companies.csv", LabelCompany, []Column{id("company_id"), opt("name", TypeText), opt("registered", TypeDate)}},
	{"accounts.csv", LabelAccount, []Column{id("account_id"), opt("bank", TypeText)}},
	{"addresses.csv", LabelAddress, []Column{id("address_id"), opt("line", TypeText), opt("postcode", TypeText)}},
	{"phones.csv", LabelPhone, []Column{id("phone_id")}},
	{"cases.csv", LabelCase, []Column{id("case_id"), opt("type", TypeText), opt("title", TypeText),
		opt("opened", TypeDate), opt("status", TypeText)}},
	{"complaints.csv", LabelComplaint, []Column{id("complaint_id"), opt("received", TypeDate),
		opt("category", TypeText), opt("status", TypeText)}},
	{"records.csv", LabelRecord, []Column{id("record_id"), opt("system", TypeText), opt("kind", TypeText),
		Column{Name: "case_id", Type: TypeRef, Refs: []string{LabelCase}, MaxBytes: MaxKeyBytes}}},

	{"record_subjects.csv", "", []Column{ref("record_id", LabelRecord), ref("subject_id", subjectLabels...)}},
	{"accesses.csv", "", []Column{ref("officer_id", LabelOfficer), ref("record_id", LabelRecord),
		req("at", TypeDateTime), opt("system", TypeText), enum("channel", false, Channels...),
		opt("terminal", TypeText), opt("purpose", TypeText)}},
	{"assignments.csv", "", []Column{ref("officer_id", LabelOfficer), ref("case_id", LabelCase),
		opt("from", TypeDate), opt("to", TypeDate)}},
	{"holders.csv", "", []Column{ref("party_id", PartyLabels...), ref("account_id", LabelAccount)}},
	{"payments.csv", "", []Column{id("payment_id"), ref("from_account", LabelAccount), ref("to_account", LabelAccount),
		opt("amount", TypeDecimal), opt("currency", TypeText), req("at", TypeDateTime), opt("reference", TypeText)}},
	{"residences.csv", "", []Column{ref("party_id", PartyLabels...), ref("address_id", LabelAddress),
		opt("from", TypeDate), opt("to", TypeDate)}},
	{"phone_use.csv", "", []Column{ref("party_id", PartyLabels...), ref("phone_id", LabelPhone),
		opt("from", TypeDate), opt("to", TypeDate)}},
	{"directorships.csv", "", []Column{ref("party_id", PartyLabels...), ref("company_id", LabelCompany),
		opt("role", TypeText), opt("from", TypeDate), opt("to", TypeDate)}},
	{"relations.csv", "", []Column{ref("party_a", PartyLabels...), ref("party_b", PartyLabels...),
		enum("type", true, RelationTypes...), opt("source", TypeText), opt("since", TypeDate)}},
	{"declarations.csv", "", []Column{ref("officer_id", LabelOfficer), ref("declared_id", LabelPerson, LabelCompany),
		enum("type", true, DeclarationTypes...), opt("declared_on", TypeDate), opt("withdrawn_on", TypeDate)}},
	{"shifts.csv", "", []Column{ref("officer_id", LabelOfficer), req("date", TypeDate), opt("start", TypeTime),
		opt("end", TypeTime), enum("declared_location", true, Locations...)}},
	{"badge_swipes.csv", "", []Column{ref("officer_id", LabelOfficer), req("at", TypeDateTime), opt("site", TypeText)}},
	{"misconduct_history.csv", "", []Column{indexed(req("case_id", TypeKey)), ref("officer_id", LabelOfficer),
		opt("category", TypeText), enum("outcome", true, MisconductOutcomes...), opt("decided_on", TypeDate)}},
	{"complaint_officers.csv", "", []Column{ref("complaint_id", LabelComplaint), ref("officer_id", LabelOfficer),
		enum("role", true, ComplaintRoles...), enum("finding", false, ComplaintFindings...), opt("penalty", TypeText)}},
}

// TruthFile is the ground truth a generated set carries: the planted cases.
// Header: officer_id, pattern, scenario_id.
const TruthFile = "truth.csv"

// TrapsFile lists the planted traps of a generated set: cases that look like
// a pattern but must not be flagged by the rule as written. Header:
// officer_id, pattern, scenario_id, why. It extends the import contract
// (DESIGN.md) the way truth.csv does; loaders ignore it.
const TrapsFile = "traps.csv"

// ImportFile returns the spec of the named file.
func ImportFile(name string) (FileSpec, bool) {
	for _, f := range ImportFiles {
		if f.Name == name {
			return f, true
		}
	}
	return FileSpec{}, false
}

// BadTextRune finds the first rune of s that no text of Probity may hold
// (the byte offset, or -1): a control character other than a tab or a line
// break (a terminal escape would reach whoever reads a CSV export or a
// log in a shell) or a text-direction override, embedding or isolate
// (U+202E shows "gnp.exe" as "exe.png" and reverses the text beside it).
// Loaded text, review reasons and notes are held to it alike.
func BadTextRune(s string) (rune, int) {
	for i, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' || bidiControl(r) {
			return r, i
		}
	}
	return 0, -1
}

// bidiControl says r reorders the text around it (an embedding, override
// or isolate): a reversed run can make text read as other text.
func bidiControl(r rune) bool { return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 }

// OneLine is s with what would break or reorder a line as spaces: control
// characters, line and paragraph separators (U+2028, U+2029) and bidi
// controls. The audit log quotes what a caller typed (a reason, a cron, a
// value), and a line break or a reversed run in it would read, in a
// listing, as a line or an event of its own (secI L5).
func OneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || bidiControl(r) {
			return ' '
		}
		return r
	}, s)
}

// Invisible says r draws nothing, or nothing a reader can tell from a
// space: a control or format character (a zero-width space, U+200B), one
// Unicode ignores by default (a Hangul filler, U+3164; a variation
// selector, U+FE0F), a line or paragraph separator (U+2028), a space
// other than U+0020 (a no-break space) or the blank braille pattern. An id
// holding one looks like another id; a purpose of them says nothing
// (fuzzF).
func Invisible(r rune) bool {
	if r < utf8.RuneSelf { // most ids and text: no table to search
		return r < 0x20 || r == 0x7f
	}
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector,
		unicode.Zl, unicode.Zp) || (unicode.Is(unicode.Zs, r) && r != ' ') || r == '\u2800'
}

// Readable says s holds a word: a letter or a digit that shows (not a
// Hangul filler). A reason or a purpose of spaces, punctuation or
// invisible characters says nothing (fuzzG: a flag closed with the reason
// U+FEFF).
func Readable(s string) bool {
	for _, r := range s {
		if (unicode.IsLetter(r) || unicode.IsDigit(r)) && !Invisible(r) {
			return true
		}
	}
	return false
}

// ShowText is s with the runes BadTextRune refuses written as Go escapes
// (\x1b, \u202e): a rejected row is shown, in the rejects file, on a
// terminal or on the Load screen, without running what it holds.
func ShowText(s string) string {
	if _, i := BadTextRune(s); i < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if _, bad := BadTextRune(string(r)); bad >= 0 {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
