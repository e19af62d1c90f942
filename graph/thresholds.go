package graph

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"probity"
)

// LabelThreshold is an administrator's value for one parameter of one
// pattern (probity.Threshold), keyed by id "PATTERN/NAME".
const LabelThreshold = "Threshold"

// thresholdsChangedID is the ListChange whose `at` is the last time a
// threshold was set or reset: an incremental scan after it is a full one
// (thresholdsChangedSince, Scan).
const thresholdsChangedID = "thresholds"

// SetThreshold sets the value scans use for parameter name of pattern,
// as text of the default's type (an integer, or a number), within the
// parameter's bounds, with a reason (EINVALID otherwise; an unknown
// pattern or parameter, or a fixed one, is EINVALID too). The next scan
// uses it, an incremental one over every officer; the flags it raises
// record it.
func (s *Store) SetThreshold(ctx context.Context, pattern, name, value, reason, by string) (probity.Threshold, error) {
	p, err := patternByName(pattern)
	if err != nil {
		return probity.Threshold{}, err
	}
	param, err := settable(p, name)
	if err != nil {
		return probity.Threshold{}, err
	}
	v, err := parseThreshold(param, strings.TrimSpace(value))
	if err != nil {
		return probity.Threshold{}, err
	}
	reason = strings.Join(strings.Fields(reason), " ")
	if visibleRunes(reason) < minListReason {
		return probity.Threshold{}, probity.Errorf(probity.EINVALID, "a threshold needs a reason of at least %d characters", minListReason)
	}
	if err := checkReason(reason); err != nil {
		return probity.Threshold{}, err
	}
	// the one check that reads the database, after those that need not
	if err := s.checkTogether(ctx, p, name, v); err != nil {
		return probity.Threshold{}, err
	}
	t := probity.Threshold{Pattern: pattern, Name: name, Value: v, Reason: reason, By: by}
	res, err := s.write(ctx, thresholdsLock+`
		MERGE (t:`+LabelThreshold+` {id: $id})
		WITH c, now, t, t.value AS was
		SET c.at = now, t.pattern = $pattern, t.name = $name, t.value = $value, t.reason = $reason, t.by = $by, t.at = now
		RETURN was, now`,
		map[string]any{"id": pattern + "/" + name, "pattern": pattern, "name": name, "value": v, "reason": reason, "by": by,
			"changed": thresholdsChangedID})
	if err != nil {
		return t, fmt.Errorf("set threshold %s %s: %w", pattern, name, err)
	}
	t.Was, t.At = res.Records[0].Values[0], res.Records[0].Values[1].(time.Time).UTC()
	if t.Was == nil {
		t.Was = param.Default
	}
	return t, nil
}

// thresholdsLock write-locks the threshold changes' clock (c) and reads
// the time (now) under the lock: changes go one after the other, each
// stamped after the one before (two administrators' changes at once were
// stamped out of their order: adminC M1).
const thresholdsLock = `MERGE (c:ListChange {id: $changed}) SET c.locked = true
	WITH c, datetime.realtime() AS now`

// ResetThreshold puts parameter name of pattern back to its default and
// returns the value it replaced; ENOTFOUND when no administrator had set it.
func (s *Store) ResetThreshold(ctx context.Context, pattern, name string) (any, error) {
	p, err := patternByName(pattern)
	if err != nil {
		return nil, err
	}
	param, err := settable(p, name)
	if err != nil {
		return nil, err
	}
	res, err := s.write(ctx, thresholdsLock+`
		OPTIONAL MATCH (t:`+LabelThreshold+` {id: $id})
		WITH c, now, t, t.value AS was
		FOREACH (_ IN CASE WHEN t IS NOT NULL THEN [1] END | SET c.at = now DELETE t)
		RETURN was`, map[string]any{"id": pattern + "/" + name, "changed": thresholdsChangedID})
	if err != nil {
		return nil, fmt.Errorf("reset threshold %s %s: %w", pattern, name, err)
	}
	was := single(res)
	if was == nil {
		return nil, probity.Errorf(probity.ENOTFOUND, "%s %s is at its default (%v): nothing to reset", pattern, name, param.Default)
	}
	return was, nil
}

// Thresholds lists the values administrators set, by pattern and name.
func (s *Store) Thresholds(ctx context.Context) ([]probity.Threshold, error) {
	res, err := s.read(ctx, `MATCH (t:`+LabelThreshold+`) RETURN properties(t) ORDER BY t.pattern, t.name`, nil)
	if err != nil {
		return nil, fmt.Errorf("thresholds: %w", err)
	}
	out := make([]probity.Threshold, 0, len(res.Records))
	for _, r := range res.Records {
		m := asMap(r.Values[0])
		t := probity.Threshold{Pattern: str(m["pattern"]), Name: str(m["name"]), Value: m["value"], Reason: str(m["reason"]), By: str(m["by"])}
		t.At, _ = m["at"].(time.Time)
		out = append(out, t)
	}
	return out, nil
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
				if v, err := parseThreshold(*pp, fmt.Sprint(t.Value)); err == nil {
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

// thresholdsChangedSince says whether a threshold was set or reset at or
// after t.
func (s *Store) thresholdsChangedSince(ctx context.Context, t time.Time) (bool, error) {
	res, err := s.read(ctx, `OPTIONAL MATCH (c:ListChange {id: $id}) RETURN c.at >= $t`, map[string]any{"id": thresholdsChangedID, "t": t})
	if err != nil {
		return false, fmt.Errorf("threshold changes: %w", err)
	}
	b, _ := single(res).(bool)
	return b, nil
}

// together are the parameters that bound each other: the first at most
// the second (3 mismatch days cannot fall within 2: minDays 40 in a span of
// 30 switched the pattern off without a word; adminC).
var together = map[string][2]string{PatAttendanceMismatch: {"minDays", "spanDays"}}

// checkTogether refuses name = v when, with the other values in use, it
// breaks a bound between p's parameters.
func (s *Store) checkTogether(ctx context.Context, p *patternDef, name string, v any) error {
	pair, ok := together[p.info.Name]
	if !ok || (name != pair[0] && name != pair[1]) {
		return nil
	}
	ts, err := s.Thresholds(ctx)
	if err != nil {
		return err
	}
	now := withThresholds([]*patternDef{p}, ts)[0]
	vals := map[string]float64{pair[0]: num(now.param(pair[0])), pair[1]: num(now.param(pair[1]))}
	vals[name] = num(v)
	if vals[pair[0]] > vals[pair[1]] {
		return probity.Errorf(probity.EINVALID, "%s %s %v is more than %s %v: the pattern could never flag", p.info.Name, pair[0], vals[pair[0]], pair[1], vals[pair[1]])
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
