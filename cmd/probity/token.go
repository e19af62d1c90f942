package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	osuser "os/user"
	"strings"
	"text/tabwriter"
	"time"

	"probity"
	"probity/api"
	"probity/graph"
)

// cmdToken runs `probity token create --role ROLE --name NAME`,
// `probity token revoke NAME|ID` and `probity token list`.
func cmdToken(ctx context.Context, e *env, args []string) error {
	usage := &exitError{code: 64, err: fmt.Errorf("usage: probity token create --role analyst|reviewer|admin --name NAME [--officer ID] | revoke NAME|ID | list")}
	if len(args) == 0 {
		return usage
	}
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("token create", flag.ContinueOnError)
		fs.SetOutput(e.stderr)
		role := fs.String("role", "", "analyst, reviewer or admin")
		name := fs.String("name", "", "a unique name (the audit log's actor)")
		officer := fs.String("officer", "", "the holder's own officer id, for recusal checks (optional)")
		if err := fs.Parse(args[1:]); err != nil {
			return &exitError{code: 64, err: err}
		}
		secret, t, err := api.NewToken(*name, probity.Role(*role))
		if err != nil {
			return &exitError{code: 64, err: err}
		}
		t.CreatedAt = time.Now().UTC()
		store, err := openMigrated(ctx, e)
		if err != nil {
			return err
		}
		defer store.Close(context.Background())
		if strings.TrimSpace(*officer) != "" {
			if t.OfficerID, err = api.OfficerID(ctx, store, "--officer", *officer); err != nil {
				if probity.ErrorCode(err) == probity.EINVALID {
					return &exitError{code: 64, err: err}
				}
				return err
			}
		}
		if err := store.CreateToken(ctx, t); err != nil {
			return err
		}
		var ids []string
		if t.OfficerID != "" {
			ids = append(ids, probity.LabelOfficer+":"+t.OfficerID) // as createToken names it
		}
		if err := auditCLI(ctx, store, e, "token create", t.Name+" ("+string(t.Role)+")", ids...); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, secret)
		fmt.Fprintf(e.stderr, "token %s (%s, id %s) created; the secret above is shown only once\n", t.Name, t.Role, t.ID)
		return nil
	case "revoke":
		if len(args) != 2 {
			return usage
		}
		store, err := openMigrated(ctx, e)
		if err != nil {
			return err
		}
		defer store.Close(context.Background())
		t, err := store.RevokeToken(ctx, args[1], time.Now().UTC())
		if err != nil {
			return err
		}
		if err := auditCLI(ctx, store, e, "token revoke", t.Name+" ("+string(t.Role)+")"); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token %s (id %s) revoked at %s\n", t.Name, t.ID, t.RevokedAt.Format(time.RFC3339))
		return nil
	case "list":
		store, err := openMigrated(ctx, e)
		if err != nil {
			return err
		}
		defer store.Close(context.Background())
		ts, err := store.ListTokens(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tROLE\tOFFICER\tCREATED\tREVOKED")
		for _, t := range ts {
			revoked := "-"
			if t.RevokedAt != nil {
				revoked = t.RevokedAt.Format(time.RFC3339)
			}
			officer := "-"
			if t.OfficerID != "" {
				officer = t.OfficerID
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, officer, t.CreatedAt.Format(time.RFC3339), revoked)
		}
		return w.Flush()
	default:
		return usage
	}
}

// auditCLI records what a command-line user did (a token change, an
// export of flags): the actor is "cli:" and the operating-system user
// (USER), the role admin (the command line holds the database's password),
// with the ids of what was read.
func auditCLI(ctx context.Context, store *graph.Store, e *env, op, purpose string, ids ...string) error {
	user := e.getenv("USER")
	if user == "" { // cron, containers: the account the process runs as
		if u, err := osuser.Current(); err == nil && u.Username != "" {
			user = u.Username
		} else {
			user = fmt.Sprintf("uid-%d", os.Getuid())
		}
	}
	_, err := store.AppendAudit(ctx, probity.AuditEvent{At: time.Now().UTC().Truncate(time.Microsecond),
		Actor: "cli:" + user, Role: probity.RoleAdmin, Operation: op, Purpose: purpose, EntityIDs: ids})
	return err
}

// cmdAudit runs `probity audit verify`: it checks the whole hash chain and
// exits 1 naming the first broken link.
func cmdAudit(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 || args[0] != "verify" {
		return &exitError{code: 64, err: fmt.Errorf("usage: probity audit verify")}
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
		return fmt.Errorf("audit chain broken at event %s (seq %d): %s; %d events before it are intact",
			v.BrokenID, v.BrokenSeq, v.Reason, v.Checked)
	}
	fmt.Fprintf(e.stdout, "audit chain intact: %d events\n", v.Checked)
	if v.HeadHash != "" {
		// the chain proves its own order, not its length: an end cut off
		// with the head set back verifies too, unless its hash is known
		fmt.Fprintf(e.stdout, "head: seq %d, hash %s (keep it outside the database: a later verify must reach it)\n", v.Checked, v.HeadHash)
	}
	return nil
}
