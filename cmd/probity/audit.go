package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	osuser "os/user"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"probity"
	"probity/api"
	"probity/graph"
)

// statedPurpose is the purpose a command was given for its audit event,
// "none given" when it was given none (given false).
func statedPurpose(purpose string) (why string, given bool) {
	if why = strings.TrimSpace(purpose); why != "" {
		return why, true
	}
	return "none given", false
}

// auditCLI records what a command-line user did (a token change, an
// export of flags): the actor is "cli:" and the operating-system user
// (USER), the role admin (the command line holds the database's password),
// with the ids of what was read. The purpose is kept on one line (a
// folder's name may hold a line break, which would read as an event of its
// own in a listing).
func auditCLI(ctx context.Context, store *graph.Store, e *env, op, purpose string, ids ...string) error {
	_, err := store.AppendAudit(ctx, probity.AuditEvent{At: time.Now().UTC().Truncate(time.Microsecond),
		Actor: cliActor(e), Role: probity.RoleAdmin, Operation: op, Purpose: probity.OneLine(purpose), EntityIDs: ids})
	return err
}

// cliActor names the command line's user as the audit log does: cli:$USER,
// or the account the process runs as (cron, containers).
func cliActor(e *env) string {
	user := e.getenv("USER")
	if user == "" {
		if u, err := osuser.Current(); err == nil && u.Username != "" {
			user = u.Username
		} else {
			user = fmt.Sprintf("uid-%d", os.Getuid())
		}
	}
	return "cli:" + user
}

// cmdAudit runs `probity audit verify`: it checks the whole hash chain and
// names the first broken link. A broken chain, or one that does not reach
// the head kept from an earlier verify (--expect SEQ:HASH), exits 2; a
// failure to check (Neo4j down) exits 1, so a monitoring job can tell
// tampering from an outage.
func cmdAudit(ctx context.Context, e *env, args []string) error {
	const usage = "usage: probity audit verify [--expect SEQ:HASH] | changes --after SEQ[:HASH]"
	if len(args) > 0 && args[0] == "changes" {
		return auditChanges(ctx, e, args[1:], usage)
	}
	if len(args) == 0 || args[0] != "verify" {
		return &exitError{code: 64, err: errors.New(usage)}
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	expect := fs.String("expect", "", "the head an earlier verify printed (SEQ:HASH): the chain must hold that event with that hash")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return &exitError{code: 64, err: errors.New(usage)}
	}
	var wantSeq int64
	var wantHash string
	if *expect != "" {
		var err error
		if wantSeq, wantHash, err = parseHead("--expect", *expect, true); err != nil {
			return err
		}
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	v, err := store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !v.OK() {
		return &exitError{code: 2, err: fmt.Errorf("audit chain broken at event %s (seq %d): %s; %d events before it are intact",
			v.BrokenID, v.BrokenSeq, v.Reason, v.Checked)}
	}
	if wantSeq > 0 {
		if err := reachesHead(ctx, store, wantSeq, wantHash, v.Checked); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "audit chain intact: %d events\n", v.Checked)
	if v.HeadHash != "" {
		// the chain proves its own order, not its length: an end cut off
		// with the head set back verifies too, unless its hash is known
		fmt.Fprintf(e.stdout, "head: seq %d, hash %s (keep it outside the database: a later verify --expect %d:%s must reach it)\n", v.Checked, v.HeadHash, v.Checked, v.HeadHash)
	}
	return nil
}

// parseHead reads a kept head given to flagName, SEQ:HASH as verify
// prints it (or SEQ alone, unless needHash).
func parseHead(flagName, v string, needHash bool) (int64, string, error) {
	seq, hash, ok := strings.Cut(v, ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if err != nil || n < 1 || needHash && (!ok || hash == "") || ok && hash == "" {
		want := "SEQ:HASH as verify printed them"
		if !needHash {
			want = "SEQ or SEQ:HASH as verify printed them"
		}
		return 0, "", &exitError{code: 64, err: fmt.Errorf("%s %q: want %s", flagName, v, want)}
	}
	return n, hash, nil
}

// reachesHead checks that the chain holds event seq with hash (any hash
// when hash is ""), exit 2 when not: events were cut from its end, or
// rewritten, or this is another database. held is the chain's length when
// known (0 when not).
func reachesHead(ctx context.Context, store *graph.Store, seq int64, hash string, held int64) error {
	evs, err := store.AuditEvents(ctx, probity.AuditFilter{AfterSeq: seq - 1, First: 1})
	if err != nil {
		return err
	}
	switch {
	case len(evs) == 0 || evs[0].Seq != seq:
		holds := ""
		if held > 0 {
			holds = fmt.Sprintf(": it holds %d events", held)
		}
		return &exitError{code: 2, err: fmt.Errorf("audit chain does not reach the kept head (seq %d, hash %s)%s; events were removed from its end (or the database was restored from an older backup)",
			seq, hash, holds)}
	case hash != "" && !strings.EqualFold(evs[0].Hash, hash):
		return &exitError{code: 2, err: fmt.Errorf("audit event seq %d has hash %s, not the kept %s: the chain from there was rewritten (or this is another database)",
			seq, evs[0].Hash, hash)}
	}
	return nil
}

// cliReads are the command line's audited operations that change nothing
// (by their first words); every other command line event is a change.
var cliReads = []string{"cli:flags", "cli:report", "cli:eval", "webhook deliveries", "suppress list", "watch list"}

// auditChanges runs `probity audit changes --after SEQ[:HASH]`: the events
// after the head kept with a backup that changed something (a GraphQL
// mutation, a load through POST /load, a command line change), oldest
// first: what restoring that backup takes back, to be done again after it
// (a token revoked since works again). Refused attempts are listed too, as
// the log holds them (their purpose says "failed"); reads, reveals and
// exports are left out. A mutation's begin event whose result event never
// came (the server stopped while it ran) is listed in its stead: the change
// may have been made.
func auditChanges(ctx context.Context, e *env, args []string, usage string) error {
	fs := flag.NewFlagSet("audit changes", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	after := fs.String("after", "", "the head kept with the backup, SEQ:HASH as verify printed it (or SEQ)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *after == "" {
		return &exitError{code: 64, err: errors.New(usage)}
	}
	seq, hash, err := parseHead("--after", *after, false)
	if err != nil {
		return err
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if err := reachesHead(ctx, store, seq, hash, 0); err != nil {
		return err
	}
	l := newRestoreList()
	const page = 500
	for last := seq; ; {
		evs, err := store.AuditEvents(ctx, probity.AuditFilter{AfterSeq: last, First: page})
		if err != nil {
			return err
		}
		for _, ev := range evs {
			last = ev.Seq
			l.add(ev)
		}
		if len(evs) < page {
			break
		}
	}
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "SEQ\tAT\tACTOR\tOPERATION\tPURPOSE")
	changes := l.events()
	for _, ev := range changes {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", ev.Seq, ev.At.UTC().Format(time.RFC3339), ev.Actor, ev.Operation, probity.OneLine(ev.Purpose))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	unfinished := ""
	if n := l.unfinished(); n > 0 {
		unfinished = fmt.Sprintf(" (%d of them begun with no result: the server stopped while it ran, and the change may have been made)", n)
	}
	fmt.Fprintf(e.stderr, "%d changes after seq %d%s: a restore of the backup taken at that head takes them back; do again the ones that must stay (token revocations first)\n", len(changes), seq, unfinished)
	return nil
}

// restoreList gathers, from audit events read oldest first, those that
// changed something (auditChanges): API changes (api.ChangeOperations),
// refusals included; command line events but reads (cliReads); and a
// mutation's begin event until its result event (same actor and digest)
// comes, as the server may have stopped between the change and its event.
type restoreList struct {
	changes map[string]bool
	listed  []probity.AuditEvent
	dropped map[int]bool
	open    map[[2]string][]int // the begin events awaiting their results (actor, digest), by their places in listed, oldest first
}

func newRestoreList() *restoreList {
	return &restoreList{changes: api.ChangeOperations(), dropped: map[int]bool{}, open: map[[2]string][]int{}}
}

// change says whether an event's operations (comma-separated, a refusal's
// ": code" after a name) hold a change.
func (l *restoreList) change(ops string) bool {
	return slices.ContainsFunc(strings.Split(ops, ","), func(op string) bool {
		name, _, _ := strings.Cut(op, ":")
		return l.changes[name]
	})
}

func (l *restoreList) add(ev probity.AuditEvent) {
	k := [2]string{ev.Actor, ev.VariablesDigest}
	switch op, isBegin := strings.CutPrefix(ev.Operation, "begin "); {
	case isBegin:
		if l.change(op) {
			l.open[k] = append(l.open[k], len(l.listed))
			l.listed = append(l.listed, ev)
		}
	case strings.HasPrefix(ev.Actor, "cli:"):
		if !slices.ContainsFunc(cliReads, func(r string) bool { return strings.HasPrefix(ev.Operation, r) }) {
			l.listed = append(l.listed, ev)
		}
	default:
		if q := l.open[k]; len(q) > 0 { // a result came: the oldest begin of the same request says no more
			l.dropped[q[0]] = true
			if l.open[k] = q[1:]; len(l.open[k]) == 0 {
				delete(l.open, k)
			}
		}
		if l.change(ev.Operation) {
			l.listed = append(l.listed, ev)
		}
	}
}

// unfinished counts the begin events listed whose result never came.
func (l *restoreList) unfinished() int {
	n := 0
	for _, q := range l.open {
		n += len(q)
	}
	return n
}

// events are the changes gathered, oldest first.
func (l *restoreList) events() []probity.AuditEvent {
	var out []probity.AuditEvent
	for i, ev := range l.listed {
		if !l.dropped[i] {
			out = append(out, ev)
		}
	}
	return out
}
