package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"probity"
	"probity/api"
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
		t, err := store.RevokeToken(ctx, args[1], "", time.Now().UTC())
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
