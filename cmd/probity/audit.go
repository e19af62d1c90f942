package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	osuser "os/user"
	"strconv"
	"strings"
	"time"

	"probity"
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
	const usage = "usage: probity audit verify [--expect SEQ:HASH]"
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
		seq, hash, ok := strings.Cut(*expect, ":")
		n, err := strconv.ParseInt(seq, 10, 64)
		if !ok || err != nil || n < 1 || hash == "" {
			return &exitError{code: 64, err: fmt.Errorf("--expect %q: want SEQ:HASH as verify printed them", *expect)}
		}
		wantSeq, wantHash = n, hash
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
		evs, err := store.AuditEvents(ctx, probity.AuditFilter{AfterSeq: wantSeq - 1, First: 1})
		if err != nil {
			return err
		}
		switch {
		case len(evs) == 0 || evs[0].Seq != wantSeq:
			return &exitError{code: 2, err: fmt.Errorf("audit chain does not reach the kept head (seq %d, hash %s): it holds %d events; events were removed from its end (or the database was restored from an older backup)",
				wantSeq, wantHash, v.Checked)}
		case !strings.EqualFold(evs[0].Hash, wantHash):
			return &exitError{code: 2, err: fmt.Errorf("audit event seq %d has hash %s, not the kept %s: the chain from there was rewritten (or this is another database)",
				wantSeq, evs[0].Hash, wantHash)}
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
