package main

import (
	"cmp"
	"context"
	"fmt"

	"probity/api"
)

// cmdPseudonymKey runs `probity pseudonym-key show|adopt`. show prints the
// fingerprint of the key this environment would serve with and the one the
// database recorded; adopt records the former in place of the latter, the
// deliberate change of key (every pseudonym changes; saved charts and
// notes keep the old ones), audited.
func cmdPseudonymKey(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 || (args[0] != "show" && args[0] != "adopt") {
		return &exitError{code: 64, err: fmt.Errorf("usage: probity pseudonym-key show | adopt (the key is PROBITY_PSEUDONYM_KEY, or the one kept in the database when it is unset; stop every probity serve before adopt)")}
	}
	store, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	key, source, err := pseudonymKeyInUse(ctx, e.getenv, store)
	if err != nil {
		return err
	}
	fp := api.KeyFingerprint(key)
	if args[0] == "show" {
		was, err := store.RecordedPseudonymKeyFingerprint(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "in use here: %s (%s)\nrecorded:    %s\n", fp, source, cmp.Or(was, "none yet (the first probity serve records its own)"))
		if was != "" && was != fp {
			return &exitError{code: 2, err: fmt.Errorf("the key here is not the database's: probity serve refuses it")}
		}
		return nil
	}
	was, err := store.PseudonymKeyFingerprint(ctx, fp, true)
	if err != nil {
		return err
	}
	if was == fp {
		fmt.Fprintf(e.stdout, "the database already records %s (%s): nothing to change\n", fp, source)
		return nil
	}
	if err := auditCLI(ctx, store, e, "pseudonym-key adopt", "fingerprint "+was+" replaced by "+fp); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "recorded %s (%s) in place of %s: every pseudonym changes; give every probity serve this key\n", fp, source, was)
	return nil
}
