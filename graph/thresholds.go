package graph

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"probity"
)

// LabelThreshold is an administrator's value for one parameter of one
// pattern (probity.Threshold), keyed by id "PATTERN/NAME".
const LabelThreshold = "Threshold"

// thresholdsChangedID is the ListChange whose `at` is the last time a
// threshold was set or reset: an incremental scan whose base read another
// is a full one (thresholdsInUse, Scan).
const thresholdsChangedID = "thresholds"

// SetThreshold sets the value scans use for parameter name of pattern,
// as text of the default's type (an integer, or a number), within the
// parameter's bounds, with a reason (EINVALID otherwise; an unknown
// pattern or parameter, or a fixed one, is EINVALID too). The next scan
// uses it, an incremental one over every officer; the flags it raises
// record it. It returns the parameter as it now is: its Set is this
// change, Set.Was the value it replaced.
func (s *Store) SetThreshold(ctx context.Context, pattern, name, value, reason, by string) (probity.PatternParam, error) {
	pp, _, err := s.changeThreshold(ctx, pattern, name, &value, reason, by)
	return pp, err
}

// ResetThreshold puts parameter name of pattern back to its default, with
// a reason as SetThreshold's, and returns the parameter as it now is and
// the value it replaced; ENOTFOUND when no administrator had set it.
func (s *Store) ResetThreshold(ctx context.Context, pattern, name, reason, by string) (probity.PatternParam, any, error) {
	return s.changeThreshold(ctx, pattern, name, nil, reason, by)
}

// changeThreshold sets name of pattern to value, or resets it when value
// is nil. The lock, the read of the values in use, the check of the
// bounds between parameters and the write are one transaction: two
// administrators setting minDays and spanDays at once each passed the
// check against the other's old value, and together switched
// attendance-mismatch off (reviewC M1).
func (s *Store) changeThreshold(ctx context.Context, pattern, name string, value *string, reason, by string) (probity.PatternParam, any, error) {
	p, err := patternByName(pattern)
	if err != nil {
		return probity.PatternParam{}, nil, err
	}
	param, err := settable(p, name)
	if err != nil {
		return probity.PatternParam{}, nil, err
	}
	var v any // nil: back to the default
	if value != nil {
		if v, err = parseThreshold(param, strings.TrimSpace(*value)); err != nil {
			return probity.PatternParam{}, nil, err
		}
	}
	reason = strings.Join(strings.Fields(reason), " ")
	if visibleRunes(reason) < minListReason {
		return probity.PatternParam{}, nil, probity.Errorf(probity.EINVALID, "a threshold change needs a reason of at least %d characters", minListReason)
	}
	if err := checkReason(reason); err != nil {
		return probity.PatternParam{}, nil, err
	}
	id := pattern + "/" + name
	var now probity.PatternParam
	var was any
	err = s.inWriteTx(ctx, func(tx neo4j.ManagedTransaction) error {
		// the lock first, then the time and the values in use under it:
		// changes go one after the other, each stamped after the one
		// before (adminC M1)
		res, err := tx.Run(ctx, `MERGE (c:ListChange {id: $changed}) SET c.locked = true RETURN datetime.realtime()`,
			map[string]any{"changed": thresholdsChangedID})
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		at := rec.Values[0].(time.Time).UTC()
		if res, err = tx.Run(ctx, thresholdsCypher, nil); err != nil {
			return err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return err
		}
		ts := thresholdsOf(recs)
		before := withThresholds([]*patternDef{p}, ts)[0].paramInfo(name)
		if v == nil && before.Set == nil {
			return probity.Errorf(probity.ENOTFOUND, "%s %s is at its default (%v): nothing to reset", pattern, name, param.Default)
		}
		was = before.Value
		ts = slices.DeleteFunc(ts, func(t probity.Threshold) bool { return t.Pattern == pattern && t.Name == name })
		if v != nil {
			ts = append(ts, probity.Threshold{Pattern: pattern, Name: name, Value: v, Reason: reason, By: by, At: at, Was: was})
		}
		after := withThresholds([]*patternDef{p}, ts)[0]
		if err := checkTogether(after); err != nil {
			return err
		}
		now = after.paramInfo(name)
		cypher := `OPTIONAL MATCH (t:` + LabelThreshold + ` {id: $id}) DELETE t`
		if v != nil {
			cypher = `MERGE (t:` + LabelThreshold + ` {id: $id})
				SET t.pattern = $pattern, t.name = $name, t.value = $value, t.reason = $reason, t.by = $by, t.at = $at`
		}
		if _, err := tx.Run(ctx, `MATCH (c:ListChange {id: $changed}) SET c.at = $at WITH c `+cypher,
			map[string]any{"id": id, "pattern": pattern, "name": name, "value": v, "reason": reason, "by": by, "at": at,
				"changed": thresholdsChangedID}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		// a refusal keeps its code; a driver's error is wrapped (ErrorCode is
		// never "" for an error, so a test of it had passed every error on bare)
		return probity.PatternParam{}, nil, codeDriverError("threshold "+pattern+" "+name, err)
	}
	return now, was, nil
}

// Thresholds lists the values administrators set, by pattern and name.
func (s *Store) Thresholds(ctx context.Context) ([]probity.Threshold, error) {
	res, err := s.read(ctx, thresholdsCypher, nil)
	if err != nil {
		return nil, fmt.Errorf("thresholds: %w", err)
	}
	return thresholdsOf(res.Records), nil
}

const thresholdsCypher = `MATCH (t:` + LabelThreshold + `) RETURN properties(t) ORDER BY t.pattern, t.name`

func thresholdsOf(recs []*neo4j.Record) []probity.Threshold {
	out := make([]probity.Threshold, 0, len(recs))
	for _, r := range recs {
		m := asMap(r.Values[0])
		t := probity.Threshold{Pattern: str(m["pattern"]), Name: str(m["name"]), Value: m["value"], Reason: str(m["reason"]), By: str(m["by"])}
		t.At, _ = m["at"].(time.Time)
		out = append(out, t)
	}
	return out
}

// PatternsInEffect is Patterns with each parameter's value in effect: its
// default, or the one an administrator set.
func (s *Store) PatternsInEffect(ctx context.Context) ([]probity.PatternInfo, error) {
	ts, err := s.Thresholds(ctx)
	if err != nil {
		return nil, err
	}
	return infos(withThresholds(library, ts)), nil
}

// withThresholds returns copies of defs whose parameters take the values
// ts set (a value stored for a parameter a later build dropped, or of
// another type, is left out: the default holds).
func withThresholds(defs []*patternDef, ts []probity.Threshold) []*patternDef {
	out := make([]*patternDef, len(defs))
	for i, d := range defs {
		c := *d
		c.info.Params = append([]probity.PatternParam(nil), d.info.Params...)
		var set []string
		for j := range c.info.Params {
			pp := &c.info.Params[j]
			for _, t := range ts {
				if t.Pattern != c.info.Name || t.Name != pp.Name || pp.Fixed {
					continue
				}
				v, err := parseThreshold(*pp, fmt.Sprint(t.Value))
				if err != nil {
					v, err = clamped(*pp, t.Value)
				}
				if err == nil {
					t.Value = v // the loop's own copy (Go 1.22)
					pp.Value, pp.Set = v, &t
					set = append(set, fmt.Sprintf("%s %v", pp.Name, v))
				}
			}
		}
		if len(set) > 0 { // the description gives the defaults' numbers
			c.info.Description += " (defaults; an administrator set " + strings.Join(set, ", ") + ")"
		}
		out[i] = &c
	}
	return out
}

// clamped reads a stored value outside pp's bounds, which an older build's
// wider bounds allowed, as the nearest bound: a topK of 5,000 stored before
// its bound became 1,000 is 1,000, not the default 100 (reviewM M2); a
// value of another type is an error (the default holds).
func clamped(pp probity.PatternParam, v any) (any, error) {
	switch x := v.(type) {
	case int64:
		if _, ok := pp.Default.(int64); ok {
			return int64(math.Min(math.Max(float64(x), pp.Min), pp.Max)), nil
		}
	case float64:
		if _, ok := pp.Default.(float64); ok && !math.IsNaN(x) {
			return math.Min(math.Max(x, pp.Min), pp.Max), nil
		}
	}
	return nil, probity.Errorf(probity.EINVALID, "%s: stored value %v is not of its type", pp.Name, v)
}

// thresholdsInUse is the values administrators set and the time of the
// last change (zero: none), read in that order: a change between the two
// reads is then one the next incremental scan sees as made after these
// values, and it runs a full scan, never the reverse.
func (s *Store) thresholdsInUse(ctx context.Context) ([]probity.Threshold, time.Time, error) {
	res, err := s.read(ctx, `OPTIONAL MATCH (c:ListChange {id: $id}) RETURN c.at`, map[string]any{"id": thresholdsChangedID})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("threshold changes: %w", err)
	}
	at, _ := single(res).(time.Time)
	ts, err := s.Thresholds(ctx)
	return ts, at.UTC(), err
}

// together are the parameters that bound each other: the first at most
// the second (3 mismatch days cannot fall within 2: minDays 40 in a span of
// 30 switched the pattern off without a word; adminC).
var together = map[string][2]string{PatAttendanceMismatch: {"minDays", "spanDays"}}

// checkTogether refuses p's values when they break a bound between its
// parameters.
func checkTogether(p *patternDef) error {
	pair, ok := together[p.info.Name]
	if !ok {
		return nil
	}
	lo, hi := num(p.param(pair[0])), num(p.param(pair[1]))
	if lo > hi {
		return probity.Errorf(probity.EINVALID, "%s %s %v would be more than %s %v: the pattern could never flag", p.info.Name, pair[0], lo, pair[1], hi)
	}
	return nil
}

// settable is p's parameter name, if an administrator may set it.
func settable(p *patternDef, name string) (probity.PatternParam, error) {
	var names []string
	for _, pp := range p.info.Params {
		if pp.Name == name {
			if pp.Fixed {
				return pp, probity.Errorf(probity.EINVALID, "%s %s is fixed: the query is written for %v", p.info.Name, name, pp.Default)
			}
			return pp, nil
		}
		if !pp.Fixed {
			names = append(names, pp.Name)
		}
	}
	if len(names) == 0 {
		return probity.PatternParam{}, probity.Errorf(probity.EINVALID, "%s has no threshold to set", p.info.Name)
	}
	return probity.PatternParam{}, probity.Errorf(probity.EINVALID, "%s has no parameter %q (it has %s)", p.info.Name, name, strings.Join(names, ", "))
}

// parseThreshold reads text as a value of pp's default's type within its
// bounds.
func parseThreshold(pp probity.PatternParam, text string) (any, error) {
	var v any
	var f float64
	switch pp.Default.(type) {
	case int64:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, probity.Errorf(probity.EINVALID, "%s: %q is not a whole number", pp.Name, text)
		}
		v, f = n, float64(n)
	default:
		x, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, probity.Errorf(probity.EINVALID, "%s: %q is not a number", pp.Name, text)
		}
		v, f = x, x
	}
	if f < pp.Min || f > pp.Max {
		return nil, probity.Errorf(probity.EINVALID, "%s: %s is outside %v..%v", pp.Name, text, pp.Min, pp.Max)
	}
	return v, nil
}
