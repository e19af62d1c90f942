package seeds

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// Days are counted from Day0 (2025-01-01, UTC); the activity window of a
// generated set is days 0..Config.Days-1 (by default the calendar year 2025).
var Day0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// DefaultDays is the default length of the activity window; MinDays the
// shortest window that holds the planted scenarios (an access day with room
// for a payment 91 days after it and 31 days before it); MaxDays the
// longest (the generator's day cache ends before its 900th day).
const (
	DefaultDays = 365
	MinDays     = 130
	MaxDays     = 800
)

const dayCacheLo, dayCacheHi = -1500, 900

var dayCache = func() []string {
	c := make([]string, dayCacheHi-dayCacheLo)
	for i := range c {
		c[i] = Day0.AddDate(0, 0, i+dayCacheLo).Format(time.DateOnly)
	}
	return c
}()

// date formats day d (days after Day0) as YYYY-MM-DD.
func date(d int) string {
	if d >= dayCacheLo && d < dayCacheHi {
		return dayCache[d-dayCacheLo]
	}
	return Day0.AddDate(0, 0, d).Format(time.DateOnly)
}

// stamp formats day d at minute m of the day (UTC) in RFC 3339.
func stamp(d, m int) string {
	b := make([]byte, 0, 20)
	b = append(b, date(d)...)
	b = append(b, 'T', byte('0'+m/600), byte('0'+m/60%10), ':', byte('0'+m%60/10), byte('0'+m%10), ':', '0', '0', 'Z')
	return string(b)
}

// ident formats prefix and n zero-padded to width digits.
func ident(prefix string, n, width int) string {
	s := strconv.Itoa(n)
	b := make([]byte, 0, len(prefix)+width+len(s))
	b = append(b, prefix...)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return string(append(b, s...))
}

func money(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// mix is splitmix64: a stateless hash for per-day decisions that must be
// answerable at any time (does officer i work on day d?).
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

var firstNames = []string{"James", "Olivia", "Mohammed", "Amelia", "Noah", "Isla", "Oliver", "Ava",
	"George", "Mia", "Leo", "Ivy", "Arthur", "Freya", "Muhammad", "Lily", "Harry", "Florence",
	"Oscar", "Emily", "Archie", "Sophia", "Henry", "Grace", "Theodore", "Willow", "Jack", "Ella",
	"Charlie", "Aisha", "Thomas", "Priya", "Daniel", "Chloe", "Samuel", "Zara", "Joseph", "Hannah",
	"Ethan", "Sienna", "Adam", "Ruby", "Lucas", "Evie", "Kai", "Megan", "Ryan", "Nia"}
var lastNames = []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
	"Davies", "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
	"Green", "Hall", "Thomas", "Clarke", "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin",
	"Cooper", "Hill", "Ward", "Hughes", "Moore", "Clark", "King", "Harrison", "Lewis", "Baker",
	"Lee", "Allen", "Morris", "Khan", "Scott", "Watson", "Davis", "Parker", "James", "Bennett",
	"Young", "Phillips", "Begum", "Ali", "Nowak", "Kowalski", "Okafor", "Mensah", "O'Brien", "Murphy"}
var streets = []string{"High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane",
	"Manor Road", "Park Avenue", "Queens Road", "Mill Lane", "Kings Road", "The Crescent",
	"Windsor Close", "Albert Street", "Springfield Road", "Grange Road", "Chapel Street"}
var towns = []string{"Leeds", "Bradford", "Wakefield", "Halifax", "Huddersfield", "Dewsbury",
	"Keighley", "Castleford", "Pontefract", "Batley"}
var banks = []string{"Northern Bank", "Albion Savings", "Pennine Building Society", "Crown Bank",
	"Metro Mutual", "Union Bank"}
var poiReasons = []string{"organised crime group nominal", "suspected drug supply",
	"fraud suspect", "known associate of an organised crime group", "firearms intelligence",
	"money laundering suspect", "county lines nominal"}
var companyWords = []string{"Holdings", "Trading", "Services", "Logistics", "Consulting",
	"Motors", "Lettings", "Security", "Builders", "Catering"}
