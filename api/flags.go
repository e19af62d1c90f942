//go:build probity_flags

// NOT WIRED. This file is built only with -tags probity_flags: it names
// the domain types the pattern library is to add to package probity
// (probity/flag.go), which this worktree does not have yet. It is the
// interface the flag resolvers of api/flags.graphql would need; remove the
// build tag and adjust the names when probity.Flag and friends exist.

package api

import (
	"context"

	"probity"
)

// FlagStore is what the flag queue, review and operations fields need;
// cmd/probity would plug a *graph.Store in, as for Graph.
type FlagStore interface {
	// ListFlags returns one page of flags matching f, highest score first,
	// and the cursor after it ("" on the last page).
	ListFlags(ctx context.Context, f probity.FlagFilter, first int, after string) ([]probity.Flag, string, error)
	// Flag returns one flag with its evidence subgraph; ENOTFOUND if none.
	Flag(ctx context.Context, id string) (probity.Flag, error)
	// ReviewFlag moves a flag to decision with reason, recording a Review by
	// reviewer (a token name); EINVALID for a forbidden transition.
	ReviewFlag(ctx context.Context, id, reviewer, decision, reason string) (probity.Flag, error)
	// ConfirmReferral confirms or rejects a referral; ECONFLICT when the
	// confirmer made the referral.
	ConfirmReferral(ctx context.Context, id, reviewer string, confirm bool, reason string) (probity.Flag, error)
	// Linked reports how an officer (the reviewer's own record) is linked to
	// the flagged officer within hops association links, or by unit and line
	// manager, for recusal; nil when not linked.
	Linked(ctx context.Context, reviewerOfficer, officer string, hops int) ([]string, error)

	Patterns(ctx context.Context) ([]probity.Pattern, error)
	ScanRuns(ctx context.Context, pattern string, first int, after string) ([]probity.ScanRun, string, error)
	FairnessReport(ctx context.Context, attribute, pattern string) (probity.FairnessReport, error)
	Accuracy(ctx context.Context, pattern string) ([]probity.PatternAccuracy, error)

	Suppressions(ctx context.Context) ([]probity.Suppression, error)
	AddSuppression(ctx context.Context, ref probity.Ref, reason, by string) (probity.Suppression, error)
	RemoveSuppression(ctx context.Context, ref probity.Ref) error
	Watchlist(ctx context.Context) ([]probity.WatchItem, error)
	Watch(ctx context.Context, ref probity.Ref, reason, by string) (probity.WatchItem, error)
	Unwatch(ctx context.Context, ref probity.Ref) error
}

// ScanRunner runs the pattern library on demand (runScan); single-flight
// per pattern, ECONFLICT while a run is in progress.
type ScanRunner interface {
	RunScan(ctx context.Context, pattern string, from, to string) (probity.ScanRun, error)
}
